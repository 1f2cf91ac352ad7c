import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { conversionEvents, conversionNotices, conversions } from "#db/schema";
import { createSession } from "~/modules/auth/sessions.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { applyConversionCsv, previewConversionCsv, type CsvReport, type CsvRefusal } from "~/modules/tracking/conversion-csv.server";
import { DIGEST_WAIT_MS, sendConversionDigests } from "~/modules/tracking/conversion-notices.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { approveConversions, rejectConversions, reviewConversion, reviewSelection } from "~/modules/tracking/conversion-review.server";
import { conversionPage } from "~/modules/tracking/conversions.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { reviewSelectionSchema } from "~/modules/tracking/schemas";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import { createTestDatabase } from "#tests/support/database";
import { createMember, emailsTo, links, uniqueEmail } from "#tests/support/factories";
import { startRouteHarness, type Actor } from "#tests/support/route-harness";
import { buildTrackingWorld, startTestTracking, type TrackingWorld } from "#tests/support/tracking";
import { insertConversion } from "#tests/support/tracking-rows";

const harness = await startRouteHarness();
let handle: DatabaseHandle;
let tracking: StartedTrackingEngine;
let w: TrackingWorld;
let other: TrackingWorld;

beforeAll(async () => {
  handle = await createTestDatabase();
  tracking = await startTestTracking(handle);
  harness.attachTracking(tracking);
  w = await buildTrackingWorld(handle.db);
  other = await buildTrackingWorld(handle.db);
});
afterAll(async () => {
  await tracking?.close();
  await handle?.close();
  await harness.close();
});

const pending = (overrides: Parameters<typeof insertConversion>[2] = {}) => insertConversion(handle.db, w.partnership.id, overrides);

async function stateOf(id: string) {
  const [row] = await handle.db
    .select({ status: conversions.status, reason: conversions.reason, note: conversions.note, decidedAt: conversions.decidedAt })
    .from(conversions)
    .where(eq(conversions.id, id));
  return row!;
}

async function eventsOf(ids: string[]) {
  return handle.db.select().from(conversionEvents).where(inArray(conversionEvents.conversionId, ids));
}

const csvFile = (text: string | Uint8Array<ArrayBuffer>, type = "text/csv", name = "decisions.csv") => new File([text], name, { type });

function report(result: CsvReport | CsvRefusal): CsvReport {
  if ("refused" in result) throw new Error(`refused: ${result.refused.message}`);
  return result;
}

describe("reviewing one conversion", () => {
  it("approves, rejects with a reason and a note, and refuses what the lifecycle does not allow", async () => {
    const a = await pending();
    expect(await reviewConversion(handle.db, w.merchant.tenant, a.id, { decision: "approve" })).toEqual({
      status: "approved",
      changed: true,
    });
    expect(await reviewConversion(handle.db, w.merchant.tenant, a.id, { decision: "approve" })).toEqual({
      status: "approved",
      changed: false,
    });

    const b = await pending();
    await reviewConversion(handle.db, w.merchant.tenant, b.id, { decision: "reject", reason: "duplicate", note: "Same order as A-1" });
    expect(await stateOf(b.id)).toMatchObject({
      status: "rejected",
      reason: "duplicate",
      note: "Same order as A-1",
      decidedAt: expect.any(Date),
    });
    await expect(reviewConversion(handle.db, w.merchant.tenant, b.id, { decision: "approve" })).rejects.toMatchObject({
      status: 409,
      message: "A rejected conversion cannot be approved.",
    });
    const [event] = await eventsOf([b.id]);
    expect(event).toMatchObject({
      fromStatus: "pending",
      toStatus: "rejected",
      reason: "duplicate",
      note: "Same order as A-1",
      actorKind: "merchant",
      actorUserId: w.merchant.owner.user.id,
      actorLabel: w.merchant.owner.user.email,
    });
  });

  it("finds another merchant's conversion nowhere, and a publisher reviews nothing", async () => {
    const foreign = await insertConversion(handle.db, other.partnership.id);
    await expect(reviewConversion(handle.db, w.merchant.tenant, foreign.id, { decision: "approve" })).rejects.toMatchObject({
      status: 404,
    });
    const own = await pending();
    await expect(reviewConversion(handle.db, w.publisher.tenant, own.id, { decision: "approve" })).rejects.toMatchObject({ status: 404 });
    expect((await stateOf(foreign.id)).status).toBe("pending");
    expect((await stateOf(own.id)).status).toBe("pending");
  });

  it("is for owners and admins: a member is refused (403) and nothing changes", async () => {
    const c = await pending();
    const member = await createMember(handle.db, w.merchant.organization.id, "member");
    const forbidden = { status: 403, message: "Only the merchant's owners and admins approve or reject conversions." };
    await expect(reviewConversion(handle.db, member, c.id, { decision: "approve" })).rejects.toMatchObject(forbidden);
    await expect(reviewSelection(handle.db, member, { intent: "approve", ids: [c.id], note: null })).rejects.toMatchObject(forbidden);
    const csv = `order_id,status\n${c.orderId},approved\n`;
    await expect(previewConversionCsv(handle.db, member, csvFile(csv))).rejects.toMatchObject(forbidden);
    await expect(applyConversionCsv(handle.db, member, csv)).rejects.toMatchObject(forbidden);
    expect((await stateOf(c.id)).status).toBe("pending");

    const admin = await createMember(handle.db, w.merchant.organization.id, "admin");
    expect(await reviewConversion(handle.db, admin, c.id, { decision: "approve" })).toMatchObject({ status: "approved" });
  });
});

describe("reviewing a selection", () => {
  it("moves the merchant's own, reports the rest with why, and leaves another merchant's alone", async () => {
    const [one, two, rejected] = await Promise.all([pending(), pending(), pending()]);
    await rejectConversions(handle.db, w.merchant.tenant, [rejected.id], "invalid", null);
    const foreign = await insertConversion(handle.db, other.partnership.id);
    const summary = await reviewSelection(handle.db, w.merchant.tenant, {
      intent: "approve",
      ids: [one.id, two.id, rejected.id, foreign.id, one.id],
      note: null,
    });
    expect(summary).toEqual({
      decision: "approve",
      changed: 2,
      unchanged: 0,
      problems: [
        { orderId: rejected.orderId, event: "sale", message: "A rejected conversion cannot be approved." },
        { orderId: null, event: null, message: "Not found: it is not a conversion of yours." },
      ],
    });
    expect(await stateOf(foreign.id)).toMatchObject({ status: "pending", decidedAt: null });
    expect(await eventsOf([foreign.id])).toEqual([]);

    const rejecting = await reviewSelection(handle.db, w.merchant.tenant, {
      intent: "reject",
      ids: [one.id, (await pending()).id],
      reason: "fraud",
      note: "Stolen cards",
    });
    expect(rejecting).toMatchObject({
      changed: 1,
      problems: [{ orderId: one.orderId, message: "An approved conversion cannot be rejected; only a pending one can." }],
    });
  });

  it("reads the form: a rejection needs its reason, and a request changes at most 500", () => {
    const id = crypto.randomUUID();
    const errors = (form: Record<string, unknown>) =>
      reviewSelectionSchema.safeParse(form).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(errors({ intent: "reject", ids: [id] })).toEqual(["reason: Choose the reason for the rejection"]);
    expect(errors({ intent: "approve", ids: [] })).toEqual(["ids: Tick the conversions to change first"]);
    expect(errors({ intent: "approve", ids: Array.from({ length: 501 }, () => id) })).toEqual([
      "ids: Change at most 500 conversions at a time",
    ]);
    expect(errors({ intent: "reject", ids: [id], reason: "fraud", note: "x".repeat(501) })).toEqual([
      "note: Keep the note to 500 characters",
    ]);
    expect(reviewSelectionSchema.parse({ intent: "reject", ids: id, reason: "test", note: "" })).toEqual({
      intent: "reject",
      ids: [id],
      reason: "test",
      note: null,
    });
  });
});

describe("importing decisions from a CSV file", () => {
  it("previews without changing anything, then applies only the good lines and reports each of the others", async () => {
    const [approveMe, rejectMe, noReason, twice, badReason, toReverse, alreadyApproved, wasRejected] = await Promise.all([
      pending(),
      pending(),
      pending(),
      pending(),
      pending(),
      pending(),
      pending(),
      pending(),
    ]);
    await approveConversions(handle.db, w.merchant.tenant, [toReverse.id, alreadyApproved.id]);
    await rejectConversions(handle.db, w.merchant.tenant, [wasRejected.id], "duplicate", null);
    const foreign = await insertConversion(handle.db, other.partnership.id);
    const lead = await pending({ event: "lead", orderId: approveMe.orderId });
    const text = [
      "Order_ID,event,status,reason,note",
      `${approveMe.orderId},,approved,,`,
      `${rejectMe.orderId},sale,rejected,returned,"Sent back, unopened\r\nRefund issued"`,
      `unknown-order,sale,approved,,`,
      `${wasRejected.orderId},sale,approved,,`,
      `${noReason.orderId},sale,rejected,,`,
      `${twice.orderId},sale,approved,,`,
      `${twice.orderId},,rejected,fraud,`,
      `${alreadyApproved.orderId},sale,approved,,`,
      `${foreign.orderId},sale,approved,,`,
      `${toReverse.orderId},sale,reversed,cancelled,Cancelled after delivery`,
      `${badReason.orderId},sale,rejected,lost,`,
      `${lead.orderId},lead,Rejected,TEST,`,
      `${noReason.orderId},sale,approved,,,extra`,
      "",
    ].join("\r\n");
    const ids = [approveMe, rejectMe, noReason, twice, badReason, toReverse, alreadyApproved, wasRejected, foreign, lead].map((c) => c.id);
    const eventsBefore = (await eventsOf(ids)).length;

    const preview = report(await previewConversionCsv(handle.db, w.merchant.tenant, csvFile(text)));
    const lines = (r: CsvReport) => r.rows.map((row) => [row.line, row.outcome, row.from, row.to, row.message]);
    const unknown = (orderId: string) => `None of your conversions is order ${orderId} with the event sale.`;
    const duplicate = `Order ${twice.orderId} (sale) is on lines 8, 9: keep one line per conversion.`;
    expect(lines(preview)).toEqual([
      [2, "change", "pending", "approved", null],
      [3, "change", "pending", "rejected", null],
      [5, "error", null, null, unknown("unknown-order")],
      [6, "error", "rejected", null, "A rejected conversion cannot be approved."],
      [7, "error", null, null, "A rejected line needs a reason: duplicate, fraud, returned, cancelled, invalid, test, other."],
      [8, "error", null, null, duplicate],
      [9, "error", null, null, duplicate],
      [10, "unchanged", "approved", "approved", "Already approved."],
      [11, "error", null, null, unknown(foreign.orderId)],
      [12, "change", "approved", "reversed", null],
      [13, "error", null, null, "reason must be one of duplicate, fraud, returned, cancelled, invalid, test, other, not “lost”."],
      [14, "change", "pending", "rejected", null],
      [15, "error", null, null, "This line has 6 fields; the first line names 5 columns."],
    ]);
    expect(preview).toMatchObject({ applied: false, csv: text, counts: { change: 4, unchanged: 1, error: 8 } });
    expect((await eventsOf(ids)).length).toBe(eventsBefore);
    expect((await stateOf(approveMe.id)).status).toBe("pending");

    const applied = report(await applyConversionCsv(handle.db, w.merchant.tenant, preview.csv!));
    expect(lines(applied)).toEqual(lines(preview));
    expect(applied).toMatchObject({ applied: true, csv: null, counts: { change: 4, unchanged: 1, error: 8 } });
    expect(await stateOf(approveMe.id)).toMatchObject({ status: "approved" });
    expect(await stateOf(rejectMe.id)).toMatchObject({
      status: "rejected",
      reason: "returned",
      note: "Sent back, unopened\nRefund issued",
    });
    expect(await stateOf(toReverse.id)).toMatchObject({ status: "reversed", reason: "cancelled", note: "Cancelled after delivery" });
    expect(await stateOf(lead.id)).toMatchObject({ status: "rejected", reason: "test" });
    for (const untouched of [noReason, twice, badReason]) expect((await stateOf(untouched.id)).status).toBe("pending");
    expect((await stateOf(foreign.id)).status).toBe("pending");
    expect((await eventsOf(ids)).length).toBe(eventsBefore + 4);
  });

  it("reports a line that became illegal after the preview, and applies the rest", async () => {
    const [first, second] = await Promise.all([pending(), pending()]);
    // Written by hand: the last, empty columns left out.
    const text = `order_id,event,status,reason,note\n${first.orderId},sale,approved\n${second.orderId},,approved\n`;
    expect(report(await previewConversionCsv(handle.db, w.merchant.tenant, csvFile(text))).counts).toEqual({
      change: 2,
      unchanged: 0,
      error: 0,
    });
    await rejectConversions(handle.db, w.merchant.tenant, [first.id], "cancelled", null);
    const applied = report(await applyConversionCsv(handle.db, w.merchant.tenant, text));
    expect(applied.rows.map((r) => [r.outcome, r.message])).toEqual([
      ["error", "A rejected conversion cannot be approved."],
      ["change", null],
    ]);
    expect((await stateOf(second.id)).status).toBe("approved");
  });

  it("refuses a file it cannot read with the status and a message that says why", async () => {
    const refusal = async (upload: FormDataEntryValue | null) => {
      const result = await previewConversionCsv(handle.db, w.merchant.tenant, upload);
      return "refused" in result ? result.refused : null;
    };
    const header = "order_id,event,status,reason,note\n";
    expect(await refusal(null)).toEqual({ status: 422, message: "Choose a CSV file to upload." });
    expect(await refusal(csvFile(header + "x".repeat(1_000_000)))).toMatchObject({
      status: 413,
      message: expect.stringMatching(/larger than 1 MB/),
    });
    expect(await refusal(csvFile("\x89PNG", "image/png", "chart.png"))).toMatchObject({ status: 415 });
    expect(await refusal(csvFile(`${header}A-1,sale,approved,,`, "application/octet-stream", "export.CSV"))).toBeNull();
    expect(await refusal(csvFile(new Uint8Array([0x6f, 0x72, 0xff, 0xfe, 0x0a])))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/not UTF-8/),
    });
    expect(await refusal(csvFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/binary/),
    });
    expect(await refusal(csvFile("order_id;status\nA-1;approved\n"))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/not semicolons/),
    });
    expect(await refusal(csvFile("order_id,event\nA-1,sale\n"))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/status is missing/),
    });
    expect(await refusal(csvFile("order_id,status,amount\nA-1,approved,1\n"))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/Unknown column “amount”/),
    });
    expect(await refusal(csvFile(`${header}"A-1,sale,approved\n`))).toMatchObject({
      status: 422,
      message: expect.stringMatching(/never closed/),
    });
    expect(await refusal(csvFile(header))).toMatchObject({ status: 422 });
    const many = header + Array.from({ length: 5_001 }, (_, i) => `A-${i},sale,approved,,`).join("\n");
    expect(await refusal(csvFile(many))).toEqual({ status: 413, message: "The file has 5,001 lines: import at most 5,000 at a time." });
    expect(await refusal(csvFile(`\ufeff${header}A-1,sale,approved,,\n`))).toBeNull();

    const apply = async (posted: FormDataEntryValue | null) => {
      const result = await applyConversionCsv(handle.db, w.merchant.tenant, posted);
      return "refused" in result ? result.refused.status : null;
    };
    expect(await apply(null)).toBe(422);
    expect(await apply(csvFile(header))).toBe(422);
    expect(await apply(header + "é".repeat(500_000))).toBe(413);
  });
});

describe("what each side sees of a conversion", () => {
  it("shows the publisher the reason and note, names people only to their own side, and keeps the hold's evidence the merchant's", async () => {
    const signals = [{ code: "fast_conversion", evidence: "Converted 3 seconds after the click" }];
    const held = await pending({ hold: "held", fraudSignals: signals });
    const staff = await createStaffUser(handle.db, { email: uniqueEmail("staff"), password: "staff passphrase 1", name: "Staff" });
    await handle.db.transaction((tx) =>
      changeConversions(tx, sql`true`, { kind: "staff", userId: staff.id, label: staff.email }, [held.id], {
        action: "clear",
        note: "Checked with the shop",
      }),
    );
    await reviewConversion(handle.db, w.merchant.tenant, held.id, { decision: "reject", reason: "fraud", note: "Card reported stolen" });

    const merchant = await conversionPage(handle.db, w.merchant.tenant, held.id);
    const publisher = await conversionPage(handle.db, w.publisher.tenant, held.id);
    for (const page of [merchant, publisher]) {
      expect(page.conversion).toMatchObject({ status: "rejected", reason: "fraud", note: "Card reported stolen", hold: "cleared" });
      expect(page.history.map((e) => [e.fromStatus, e.toStatus, e.fromHold, e.toHold, e.reason, e.note])).toEqual([
        ["pending", "pending", "held", "cleared", null, "Checked with the shop"],
        ["pending", "rejected", "cleared", "cleared", "fraud", "Card reported stolen"],
      ]);
      expect(page.canReview).toBe(false);
    }
    expect(merchant.history.map((e) => e.actor)).toEqual(["Network staff", w.merchant.owner.user.email]);
    expect(publisher.history.map((e) => e.actor)).toEqual(["Network staff", "Merchant"]);
    expect(merchant.conversion.fraudSignals).toEqual(signals);
    expect(publisher.conversion.fraudSignals).toEqual([]);
    const shown = JSON.stringify(publisher);
    for (const secret of [w.merchant.owner.user.email, staff.email, signals[0]!.evidence]) expect(shown).not.toContain(secret);
    expect(JSON.stringify(merchant)).not.toContain(staff.email);

    const open = await pending();
    expect((await conversionPage(handle.db, w.merchant.tenant, open.id)).canReview).toBe(true);
    expect((await conversionPage(handle.db, w.publisher.tenant, open.id)).canReview).toBe(false);
    const member = await createMember(handle.db, w.merchant.organization.id, "member");
    expect((await conversionPage(handle.db, member, open.id)).canReview).toBe(false);
    await expect(conversionPage(handle.db, other.merchant.tenant, open.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("digest emails", () => {
  const later = () => new Date(Date.now() + DIGEST_WAIT_MS + 1000);
  const digestsTo = async (address: string) => (await emailsTo(handle.db, address)).filter((e) => e.template === "conversion_digest");

  it("tells the publisher of 500 approvals in one email per owner and admin, and the merchant who made them nothing", async () => {
    const n = await buildTrackingWorld(handle.db);
    const publisherAdmin = await createMember(handle.db, n.publisher.organization.id, "admin");
    const publisherMember = await createMember(handle.db, n.publisher.organization.id, "member");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => insertConversion(handle.db, n.partnership.id)));
      ids.push(...batch.map((c) => c.id));
    }
    const outcomes = await approveConversions(handle.db, n.merchant.tenant, ids);
    expect(outcomes.filter((o) => o.result === "changed")).toHaveLength(500);

    // Too early: the first change has not waited its five minutes.
    await sendConversionDigests(handle.db, links);
    expect(await digestsTo(n.publisher.owner.user.email)).toEqual([]);

    await sendConversionDigests(handle.db, links, later());
    const [email, ...more] = await digestsTo(n.publisher.owner.user.email);
    expect(more).toEqual([]);
    expect(email!.subject).toBe(`500 conversions changed for ${n.publisher.organization.name}`);
    expect(email!.text).toContain("500 approved · $4,000.00 commission");
    expect(email!.text).toContain(`(sale): approved by the merchant`);
    expect(email!.text).toContain("…and 480 more.");
    expect(email!.text).toContain(`${links.appUrl}/app/conversions`);
    expect(await digestsTo(publisherAdmin.user.email)).toHaveLength(1);
    expect(await digestsTo(publisherMember.user.email)).toEqual([]);
    expect(await digestsTo(n.merchant.owner.user.email)).toEqual([]);

    expect(
      await handle.db.select().from(conversionNotices).where(eq(conversionNotices.organizationId, n.publisher.organization.id)),
    ).toEqual([]);
    await sendConversionDigests(handle.db, links, later());
    expect(await digestsTo(n.publisher.owner.user.email)).toHaveLength(1);
  });

  it("tells both sides of what a job did, with the merchant's cost and test conversions counted apart", async () => {
    const n = await buildTrackingWorld(handle.db);
    const due = { validationEndsAt: new Date(Date.now() - 1000), screenedAt: new Date() };
    await insertConversion(handle.db, n.partnership.id, due);
    await insertConversion(handle.db, n.partnership.id, { ...due, isTest: true });
    await approveDueConversions(handle.db, new Date());
    await sendConversionDigests(handle.db, links, later());
    const [merchantEmail] = await digestsTo(n.merchant.owner.user.email);
    const [publisherEmail] = await digestsTo(n.publisher.owner.user.email);
    expect(merchantEmail?.text).toContain("2 approved (1 test) · $9.60 cost");
    expect(merchantEmail?.text).toContain("(sale) (test): approved automatically");
    expect(publisherEmail?.text).toContain("2 approved (1 test) · $8.00 commission");
  });

  it("tells both sides when fraud screening puts a conversion on hold", async () => {
    const n = await buildTrackingWorld(handle.db);
    const now = Date.now();
    await insertConversion(handle.db, n.partnership.id, { screenedAt: null, createdAt: new Date(now), clickedAt: new Date(now - 1000) });
    await screenConversions(handle.db, new Date());
    await sendConversionDigests(handle.db, links, later());
    for (const owner of [n.merchant.owner, n.publisher.owner]) {
      const [email, ...more] = await digestsTo(owner.user.email);
      expect(more).toEqual([]);
      expect(email?.text).toContain("1 on hold for fraud review");
      expect(email?.text).toContain("(sale): on hold for fraud review automatically");
    }
  });
});

describe("the pages, through the server", () => {
  const merchant = (): Actor => ({ name: "merchant owner", sessionToken: w.merchant.owner.sessionToken });
  const publisher = (): Actor => ({ name: "publisher owner", sessionToken: w.publisher.owner.sessionToken });

  /** A form as a browser sends it with a file: multipart, with its boundary in the type. */
  async function upload(actor: Actor, fields: Record<string, string | File>) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const encoded = new Request("http://switchboard.test/", { method: "POST", body: form });
    const body = Buffer.from(await encoded.arrayBuffer());
    const type = encoded.headers.get("content-type")!;
    return harness.sendOverHttp(handle, actor, {
      method: "POST",
      target: "/app/conversions/import",
      headers: { "content-type": type },
      body,
    });
  }

  it("previews an uploaded file, applies it, and refuses a file too large, of another type or not UTF-8 with a readable page", async () => {
    const c = await pending();
    const text = `order_id,event,status,reason,note\r\n${c.orderId},sale,rejected,cancelled,"Cancelled, refunded"\r\n`;
    const preview = await upload(merchant(), { intent: "preview", file: csvFile(text) });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain("Will change");
    expect(preview.body).toContain("Apply 1 change");
    expect((await stateOf(c.id)).status).toBe("pending");

    const applied = await upload(merchant(), { intent: "apply", csv: text });
    expect(applied.status).toBe(200);
    expect(applied.body).toContain("1 changed, 0 already so, 0 not applied.");
    expect(await stateOf(c.id)).toMatchObject({ status: "rejected", reason: "cancelled", note: "Cancelled, refunded" });

    const big = await upload(merchant(), { intent: "preview", file: csvFile(`order_id,status\n${"x".repeat(1_000_100)}`) });
    expect([big.status, big.body]).toEqual([413, expect.stringContaining("The file is larger than 1 MB")]);
    const image = await upload(merchant(), { intent: "preview", file: csvFile("GIF89a", "image/gif", "logo.gif") });
    expect([image.status, image.body]).toEqual([415, expect.stringContaining("That is not a CSV file")]);
    const latin1 = await upload(merchant(), { intent: "preview", file: csvFile(new Uint8Array([0x6f, 0x72, 0xe9, 0x0a])) });
    expect([latin1.status, latin1.body]).toEqual([422, expect.stringContaining("The file is not UTF-8 text")]);
    const member = await createMember(handle.db, w.merchant.organization.id, "member");
    const { token } = await createSession(handle.db, member.user.id);
    const refused = await upload({ name: "merchant member", sessionToken: token }, { intent: "preview", file: csvFile(text) });
    expect([refused.status, refused.body]).toEqual([403, expect.stringContaining("Only the merchant's owners and admins")]);
    expect((await upload(publisher(), { intent: "preview", file: csvFile(text) })).status).toBe(404);
  });

  it("shows the publisher the merchant's reason and note, and the merchant's people by role only", async () => {
    const c = await pending();
    await reviewConversion(handle.db, w.merchant.tenant, c.id, { decision: "reject", reason: "fraud", note: "Card reported stolen" });
    const page = (actor: Actor) => harness.sendOverHttp(handle, actor, { method: "GET", target: `/app/conversions/${c.id}` });
    const seen = await page(publisher());
    expect(seen.status).toBe(200);
    expect(seen.body).toContain("Card reported stolen");
    expect(seen.body).toContain("Fraud");
    expect(seen.body).toContain("Pending → Rejected");
    expect(seen.body).not.toContain(w.merchant.owner.user.email);
    const own = await page(merchant());
    expect(own.body).toContain(w.merchant.owner.user.email);
  });

  it("approves a selection from the list and says what happened", async () => {
    const [one, two] = await Promise.all([pending(), pending()]);
    await rejectConversions(handle.db, w.merchant.tenant, [two.id], "test", null);
    const answer = await harness.send(handle.db, merchant(), {
      method: "POST",
      url: "/app/conversions?index",
      form: { intent: "approve", ids: [one.id, two.id] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("1 approved, 1 could not change:");
    expect((await stateOf(one.id)).status).toBe("approved");
  });
});
