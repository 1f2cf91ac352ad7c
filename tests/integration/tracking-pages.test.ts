import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, coupons, partnerships, postbackCredentials, postbackLog } from "#db/schema";
import { applyToOffer } from "~/modules/applications/applications.server";
import { changePartnershipStatus } from "~/modules/applications/partnerships.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { getDashboard } from "~/modules/orgs/dashboard.server";
import { getTrackingActivity } from "~/modules/tracking/activity.server";
import { findConversions } from "~/modules/tracking/conversion-search.server";
import { getConversion, listConversions } from "~/modules/tracking/conversions.server";
import { assignCoupon, listMerchantCoupons, removeCoupon } from "~/modules/tracking/coupons.server";
import type { TrackingEngine } from "~/modules/tracking/engine-types";
import { getIntegration, rotatePostbackToken, rotateSigningSecret, sendTestPostback } from "~/modules/tracking/integration.server";
import { SUB_MAX_LENGTH } from "~/modules/tracking/landing-url";
import { buildPartnershipLink, getPartnershipTracking } from "~/modules/tracking/partnership-tracking.server";
import { linkBuilderSchema, readConversionQuery } from "~/modules/tracking/schemas";
import { createTestDatabase } from "#tests/support/database";
import { createMember, createOrgWithOwner, links } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { daysAgo, insertClickDay, insertConversion, partnershipRefs } from "#tests/support/tracking-rows";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const notFound = { code: "not_found", status: 404 };
const linkUrls = { linkUrl: (code: string) => `https://go.test/c/${code}` };
const query = (params: Record<string, string> = {}) => readConversionQuery(new URLSearchParams(params)).query;

/** Merchant A with an offer publisher A partners on (active), plus a merchant B and a publisher B of their own. */
async function network() {
  const db = handle.db;
  const [merchantA, merchantB, publisherA, publisherB] = await Promise.all([
    createOrgWithOwner(db),
    createOrgWithOwner(db),
    createOrgWithOwner(db, "publisher"),
    createOrgWithOwner(db, "publisher"),
  ]);
  const offer = await createActiveOffer(db, merchantA.tenant, { visibility: "public", deepLinkDomains: "northwind.example" });
  await applyToOffer(db, publisherA.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
  const [partnership] = await db.select().from(partnerships).where(eq(partnerships.offerId, offer.id));
  const offerB = await createActiveOffer(db, merchantB.tenant, { visibility: "public" });
  await applyToOffer(db, publisherB.tenant, { offerId: offerB.id, message: "", answers: [], acceptTerms: true }, links);
  const [partnershipB] = await db.select().from(partnerships).where(eq(partnerships.offerId, offerB.id));
  return { merchantA, merchantB, publisherA, publisherB, offer, offerB, partnership: partnership!, partnershipB: partnershipB! };
}

describe("the publisher's partnership page", () => {
  it("shows the link, the coupons, 30 days of clicks and conversions by status (tests left out), and the latest conversions", async () => {
    const n = await network();
    const db = handle.db;
    const id = n.partnership.id;
    await insertClickDay(db, id, daysAgo(0), { clicks: 40, uniqueClicks: 30, botClicks: 5 });
    await insertClickDay(db, id, daysAgo(29), { clicks: 10, uniqueClicks: 8, botClicks: 1 });
    await insertClickDay(db, id, daysAgo(30), { clicks: 1000, uniqueClicks: 1000, botClicks: 0 });
    await insertConversion(db, id, { status: "pending" });
    await insertConversion(db, id, { status: "approved", commissionMinor: 1200, feeMinor: 240, merchantCostMinor: 1440 });
    await insertConversion(db, id, { status: "approved" });
    await insertConversion(db, id, { status: "rejected", reason: "bot_click", commissionMinor: 0, feeMinor: 0, merchantCostMinor: 0 });
    await insertConversion(db, id, { status: "pending", isTest: true, orderId: "test-1" });
    await insertConversion(db, id, { status: "approved", createdAt: new Date(Date.now() - 40 * 86_400_000) });
    await assignCoupon(db, n.merchantA.tenant, { partnershipId: id, code: "HIKE10" });

    const page = await getPartnershipTracking(db, n.publisherA.tenant, id, linkUrls);
    const { code } = await partnershipRefs(db, id);
    expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(page.linkUrl).toBe(`https://go.test/c/${code}`);
    expect(page.coupons.map((c) => c.code)).toEqual(["HIKE10"]);
    expect(page.clicks).toEqual({ clicks: 50, uniqueClicks: 38, botClicks: 6 });
    expect(page.byStatus).toEqual([
      { status: "pending", currency: "USD", count: 1, commissionMinor: 800 },
      { status: "approved", currency: "USD", count: 2, commissionMinor: 2000 },
      { status: "rejected", currency: "USD", count: 1, commissionMinor: 0 },
    ]);
    expect(page.latest).toHaveLength(6);
    expect(page.latest.find((c) => c.orderId === "test-1")).toMatchObject({ isTest: true });
    expect(page.latest.find((c) => c.reason === "bot_click")).toMatchObject({ status: "rejected" });
    expect(page.latest[0]).not.toHaveProperty("clickIpHmac");
    expect(page.latest[0]!.customerId).toBeNull();
  });

  it("is the same 404 to another publisher, and to a merchant", async () => {
    const n = await network();
    await expect(getPartnershipTracking(handle.db, n.publisherB.tenant, n.partnership.id, linkUrls)).rejects.toMatchObject(notFound);
    await expect(getPartnershipTracking(handle.db, n.merchantA.tenant, n.partnership.id, linkUrls)).rejects.toMatchObject(notFound);
    const input = linkBuilderSchema.parse({ sub1: "x" });
    await expect(buildPartnershipLink(handle.db, n.publisherB.tenant, n.partnership.id, input, linkUrls)).rejects.toMatchObject(notFound);
  });

  it("builds links with sub ids and a deep link on the offer's domains, and refuses any other next to the field", async () => {
    const n = await network();
    const { code } = await partnershipRefs(handle.db, n.partnership.id);
    const build = (form: Record<string, string>) =>
      buildPartnershipLink(handle.db, n.publisherA.tenant, n.partnership.id, linkBuilderSchema.parse(form), linkUrls);
    expect(await build({})).toEqual({ url: `https://go.test/c/${code}` });
    const built = await build({ sub1: "newsletter", sub3: "a b&c", url: "https://shop.northwind.example/tents?x=1" });
    const url = new URL(built.url);
    expect(url.searchParams.get("sub1")).toBe("newsletter");
    expect(url.searchParams.get("sub3")).toBe("a b&c");
    expect(url.searchParams.get("url")).toBe("https://shop.northwind.example/tents?x=1");
    for (const deepLink of [
      "https://evil.example/",
      "javascript:alert(1)",
      "https://northwind.example@evil.example/",
      "http://northwind.example/",
    ]) {
      await expect(build({ url: deepLink })).rejects.toMatchObject({ field: "url", status: 422 });
    }
  });
});

describe("conversions lists", () => {
  it("pages newest first without OFFSET or repeats, even when many share a time", async () => {
    const n = await network();
    const at = new Date();
    for (let i = 0; i < 60; i++)
      await insertConversion(handle.db, n.partnership.id, { createdAt: i < 55 ? at : new Date(at.getTime() - i) });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await listConversions(handle.db, n.publisherA.tenant, query(after ? { after } : {}));
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const times = (await listConversions(handle.db, n.publisherA.tenant, query())).rows.map((r) => new Date(r.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("filters a publisher's by offer, status, dates and a sub id in any of sub1 to sub5, test conversions included", async () => {
    const n = await network();
    const db = handle.db;
    const id = n.partnership.id;
    const old = await insertConversion(db, id, { createdAt: new Date("2026-01-10T12:00:00Z"), sub4: "spring" });
    const approved = await insertConversion(db, id, { status: "approved", sub1: "spring" });
    const test = await insertConversion(db, id, { isTest: true });
    const ids = async (params: Record<string, string>) =>
      (await listConversions(db, n.publisherA.tenant, query(params))).rows.map((r) => r.id).sort();
    expect(await ids({})).toEqual([old.id, approved.id, test.id].sort());
    expect(await ids({ status: "approved" })).toEqual([approved.id]);
    expect(await ids({ sub: "spring" })).toEqual([old.id, approved.id].sort());
    expect(await ids({ from: "2026-01-10", to: "2026-01-10" })).toEqual([old.id]);
    expect(await ids({ offer: n.offerB.id })).toEqual([]);
    expect(await ids({ offer: n.offer.id })).toHaveLength(3);
    const page = await listConversions(db, n.publisherA.tenant, query());
    expect(page.choices.offers).toEqual([{ id: n.offer.id, name: n.offer.title }]);
    expect(page.choices.publishers).toEqual([]);
  });

  it("filters a merchant's by publisher and shows all three amounts", async () => {
    const n = await network();
    await insertConversion(handle.db, n.partnership.id);
    const own = await listConversions(handle.db, n.merchantA.tenant, query({ publisher: n.publisherA.organization.id }));
    expect(own.rows).toHaveLength(1);
    expect(own.rows[0]).toMatchObject({ saleAmountMinor: 10_000, commissionMinor: 800, feeMinor: 160, merchantCostMinor: 960 });
    expect(own.rows[0]!.publisherName).toBe(n.publisherA.organization.name);
    expect(own.choices.publishers).toEqual([{ id: n.publisherA.organization.id, name: n.publisherA.organization.name }]);
    expect((await listConversions(handle.db, n.merchantA.tenant, query({ publisher: n.publisherB.organization.id }))).rows).toEqual([]);
  });

  it("reads bad filters as sentences, never a failure", () => {
    const read = (params: Record<string, string>) => readConversionQuery(new URLSearchParams(params));
    expect(read({ offer: "nope", status: "paid", from: "2026-02-30", to: "yesterday", after: "x" }).errors).toEqual([
      "Choose an offer from the list",
      "Choose a status from the list",
      "Enter the start date as a date, like 2026-11-21",
      "Enter the end date as a date, like 2026-11-21",
      "That page link is out of date: showing the newest conversions.",
    ]);
    expect(read({ from: "2026-03-02", to: "2026-03-01" })).toEqual({
      query: { from: "2026-03-02" },
      errors: ["The start date is after the end date."],
    });
    expect(read({ sub: "x".repeat(SUB_MAX_LENGTH) }).errors).toEqual([]);
    expect(read({ sub: "x".repeat(SUB_MAX_LENGTH + 1) }).errors).toEqual([`A sub id is at most ${SUB_MAX_LENGTH} characters`]);
    expect(read({ status: "pending", offer: "" })).toEqual({ query: { status: "pending" }, errors: [] });
  });

  it("shows the same three amounts to both sides, and nothing to anyone else", async () => {
    const n = await network();
    const conversion = await insertConversion(handle.db, n.partnership.id, { customerId: "cust-9" });
    const merchant = await getConversion(handle.db, n.merchantA.tenant, conversion.id);
    const publisher = await getConversion(handle.db, n.publisherA.tenant, conversion.id);
    const amounts = (c: typeof merchant) => [c.saleAmountMinor, c.commissionMinor, c.feeMinor, c.merchantCostMinor, c.currency];
    expect(amounts(publisher)).toEqual(amounts(merchant));
    expect(merchant.customerId).toBe("cust-9");
    expect(publisher.customerId).toBeNull();
    expect(publisher.termsSnapshot).toEqual(conversion.termsSnapshot);
    for (const tenant of [n.merchantB.tenant, n.publisherB.tenant]) {
      await expect(getConversion(handle.db, tenant, conversion.id)).rejects.toMatchObject(notFound);
      expect((await listConversions(handle.db, tenant, query())).rows).toEqual([]);
    }
  });
});

describe("coupon codes", () => {
  it("are unique per merchant whatever their case, audited, and seen by the publisher", async () => {
    const n = await network();
    const coupon = await assignCoupon(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, code: "Summer25" });
    await expect(assignCoupon(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, code: "SUMMER25" })).rejects.toMatchObject({
      code: "coupon_taken",
      field: "code",
      status: 409,
    });
    // Another merchant may use the same code.
    await assignCoupon(handle.db, n.merchantB.tenant, { partnershipId: n.partnershipB.id, code: "summer25" });
    expect(await listMerchantCoupons(handle.db, n.merchantA.tenant)).toEqual({ [n.partnership.id]: [{ id: coupon.id, code: "Summer25" }] });
    const page = await getPartnershipTracking(handle.db, n.publisherA.tenant, n.partnership.id, linkUrls);
    expect(page.coupons).toEqual([{ id: coupon.id, code: "Summer25" }]);

    await removeCoupon(handle.db, n.merchantA.tenant, { couponId: coupon.id });
    expect(await listMerchantCoupons(handle.db, n.merchantA.tenant)).toEqual({});
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, coupon.id)).orderBy(auditLog.id);
    expect(audit.map((a) => [a.action, a.after ?? a.before])).toEqual([
      ["coupon.assigned", { code: "Summer25", partnershipId: n.partnership.id }],
      ["coupon.removed", { code: "Summer25", partnershipId: n.partnership.id }],
    ]);
  });

  it("gives exactly one of many concurrent requests for one code, the others a field error", async () => {
    const n = await network();
    const codes = ["trail", "TRAIL", "Trail", "tRAIL", "TRail", "traIL", "trAIL", "TrAiL"];
    const results = await Promise.allSettled(
      codes.map((code) => assignCoupon(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, code })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(r.reason).toMatchObject({ code: "coupon_taken", field: "code" });
    const rows = await handle.db.select().from(coupons).where(eq(coupons.merchantId, n.merchantA.organization.id));
    expect(rows).toHaveLength(1);
  });

  it("cannot be given to or taken from another merchant's partnership, nor by a member or a publisher", async () => {
    const n = await network();
    const coupon = await assignCoupon(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, code: "ALPINE" });
    await expect(assignCoupon(handle.db, n.merchantB.tenant, { partnershipId: n.partnership.id, code: "X123" })).rejects.toMatchObject(
      notFound,
    );
    await expect(removeCoupon(handle.db, n.merchantB.tenant, { couponId: coupon.id })).rejects.toMatchObject(notFound);
    await expect(assignCoupon(handle.db, n.publisherA.tenant, { partnershipId: n.partnership.id, code: "MINE1" })).rejects.toMatchObject(
      notFound,
    );
    await expect(removeCoupon(handle.db, n.publisherA.tenant, { couponId: coupon.id })).rejects.toMatchObject(notFound);
    const member = await createMember(handle.db, n.merchantA.organization.id);
    await expect(removeCoupon(handle.db, member, { couponId: coupon.id })).rejects.toMatchObject({ status: 403 });
    expect((await getPartnershipTracking(handle.db, n.publisherB.tenant, n.partnershipB.id, linkUrls)).coupons).toEqual([]);
    expect(await handle.db.select().from(coupons).where(eq(coupons.id, coupon.id))).toHaveLength(1);
  });

  it("are not given to an ended partnership", async () => {
    const n = await network();
    await changePartnershipStatus(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, action: "end" }, links);
    await expect(assignCoupon(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, code: "LATE1" })).rejects.toMatchObject({
      code: "partnership_ended",
      field: "code",
    });
  });
});

describe("postback credentials", () => {
  it("stores only the token's SHA-256 and its first 8 characters, and a new one replaces the old", async () => {
    const n = await network();
    const { token } = await rotatePostbackToken(handle.db, n.merchantA.tenant);
    expect(token).toMatch(/^sbp_[A-Za-z0-9_-]{43}$/);
    const [row] = await handle.db.select().from(postbackCredentials).where(eq(postbackCredentials.merchantId, n.merchantA.organization.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row!.tokenHint).toBe(token.slice(0, 8));
    expect(JSON.stringify(row)).not.toContain(token.slice(8));

    const second = await rotatePostbackToken(handle.db, n.merchantA.tenant);
    expect(second.token).not.toBe(token);
    const [after] = await handle.db
      .select()
      .from(postbackCredentials)
      .where(eq(postbackCredentials.merchantId, n.merchantA.organization.id));
    expect(after!.tokenHash).toBe(createHash("sha256").update(second.token).digest("hex"));
    const integration = await getIntegration(handle.db, n.merchantA.tenant);
    expect(integration.credentials).toMatchObject({ tokenHint: second.token.slice(0, 8), hasSecret: false });
    expect(JSON.stringify(integration)).not.toContain(second.token);
  });

  it("keeps the signing secret for HMAC but never shows or audits it again", async () => {
    const n = await network();
    await rotatePostbackToken(handle.db, n.merchantA.tenant);
    const { secret } = await rotateSigningSecret(handle.db, n.merchantA.tenant);
    expect(secret).toMatch(/^sbs_[A-Za-z0-9_-]{43}$/);
    const [row] = await handle.db.select().from(postbackCredentials).where(eq(postbackCredentials.merchantId, n.merchantA.organization.id));
    expect(row!.signingSecret).toBe(secret);
    expect(row!.tokenHash).not.toBeNull();
    const integration = await getIntegration(handle.db, n.merchantA.tenant);
    expect(integration.credentials.hasSecret).toBe(true);
    expect(JSON.stringify(integration)).not.toContain(secret);
    const audit = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, n.merchantA.organization.id), sql`${auditLog.action} like 'postback.%'`));
    expect(audit.map((a) => a.action).sort()).toEqual(["postback.secret_rotated", "postback.token_rotated"]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("are made only by owners and admins of a merchant", async () => {
    const n = await network();
    const member = await createMember(handle.db, n.merchantA.organization.id);
    await expect(rotatePostbackToken(handle.db, member)).rejects.toMatchObject({ status: 403 });
    await expect(rotateSigningSecret(handle.db, member)).rejects.toMatchObject({ status: 403 });
    expect((await getIntegration(handle.db, member)).canManageCredentials).toBe(false);
    await expect(rotatePostbackToken(handle.db, n.publisherA.tenant)).rejects.toMatchObject(notFound);
    await expect(getIntegration(handle.db, n.publisherA.tenant)).rejects.toMatchObject(notFound);
    expect(
      await handle.db.select().from(postbackCredentials).where(eq(postbackCredentials.merchantId, n.merchantA.organization.id)),
    ).toEqual([]);
  });
});

describe("the integration page", () => {
  it("shows the merchant's own latest 100 postbacks, newest first, and its active partnerships for the test tool", async () => {
    const n = await network();
    const entry = (merchantId: string, i: number) => ({
      merchantId,
      receivedAt: new Date(Date.now() - 1000 * (200 - i)),
      method: "GET",
      parameters: { order_id: `o-${i}`, token: "sbp_****" },
      authentication: "token",
      httpStatus: 200,
      outcome: "created",
      message: "Recorded",
    });
    await handle.db.insert(postbackLog).values(Array.from({ length: 120 }, (_, i) => entry(n.merchantA.organization.id, i)));
    await handle.db.insert(postbackLog).values(entry(n.merchantB.organization.id, 999));
    const integration = await getIntegration(handle.db, n.merchantA.tenant);
    expect(integration.log).toHaveLength(100);
    expect(integration.log[0]!.parameters.order_id).toBe("o-119");
    expect(integration.log.every((e) => e.merchantId === n.merchantA.organization.id)).toBe(true);
    expect(integration.testPartnerships).toEqual([
      { id: n.partnership.id, label: `${n.publisherA.organization.name} · ${n.offer.title}`, currency: "USD", events: ["sale"] },
    ]);
    expect(integration.testOrderId).toMatch(/^test-[0-9a-f]{12}$/);
  });

  it("refuses a test postback on another merchant's or an inactive partnership, or for an event the offer lacks, before the engine", async () => {
    const n = await network();
    const engine: Pick<TrackingEngine, "testPostback"> = {
      testPostback: () => Promise.reject(new Error("the engine must not be reached")),
    };
    const input = { partnershipId: n.partnership.id, orderId: "test-1", amount: "49.90", event: "sale" };
    await expect(sendTestPostback(handle.db, n.merchantB.tenant, engine, input)).rejects.toMatchObject(notFound);
    await expect(sendTestPostback(handle.db, n.publisherA.tenant, engine, input)).rejects.toMatchObject(notFound);
    await expect(sendTestPostback(handle.db, n.merchantA.tenant, engine, { ...input, event: "lead" })).rejects.toMatchObject({
      code: "unknown_event",
      field: "event",
    });
    await changePartnershipStatus(handle.db, n.merchantA.tenant, { partnershipId: n.partnership.id, action: "pause" }, links);
    await expect(sendTestPostback(handle.db, n.merchantA.tenant, engine, input)).rejects.toMatchObject({
      code: "partnership_inactive",
      field: "partnershipId",
    });
  });
});

describe("staff conversion search", () => {
  it("finds any conversion by id, order id or click id, several when an order id repeats", async () => {
    const n = await network();
    const staff = await createStaffUser(handle.db, { email: `staff-${Date.now()}@network.example`, password: "staff pass 12", name: "S" });
    const a = await insertConversion(handle.db, n.partnership.id, { orderId: "ORDER-77" });
    const b = await insertConversion(handle.db, n.partnershipB.id, { orderId: "ORDER-77" });
    expect((await findConversions(handle.db, staff, a.id)).map((c) => c.id)).toEqual([a.id]);
    expect((await findConversions(handle.db, staff, ` ${a.clickId!} `)).map((c) => c.id)).toEqual([a.id]);
    expect((await findConversions(handle.db, staff, "ORDER-77")).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    const [found] = await findConversions(handle.db, staff, b.id);
    expect(found).toMatchObject({
      merchantName: n.merchantB.organization.name,
      publisherName: n.publisherB.organization.name,
      customerId: null,
    });
    expect(await findConversions(handle.db, staff, "   ")).toEqual([]);
    expect(await findConversions(handle.db, staff, "no-such-order")).toEqual([]);
  });
});

describe("dashboards", () => {
  it("add up the last 30 days per currency without test conversions, commission for publishers and cost for merchants", async () => {
    const n = await network();
    const db = handle.db;
    const eur = await createActiveOffer(db, n.merchantA.tenant, { visibility: "public", currency: "EUR", title: "Euro tents" });
    await applyToOffer(db, n.publisherA.tenant, { offerId: eur.id, message: "", answers: [], acceptTerms: true }, links);
    const [eurPartnership] = await db.select().from(partnerships).where(eq(partnerships.offerId, eur.id));
    await insertClickDay(db, n.partnership.id, daysAgo(1), { clicks: 7, uniqueClicks: 6, botClicks: 1 });
    await insertConversion(db, n.partnership.id, { status: "pending" });
    await insertConversion(db, n.partnership.id, { status: "approved" });
    await insertConversion(db, n.partnership.id, { status: "approved", isTest: true });
    await insertConversion(db, eurPartnership!.id, { status: "pending", commissionMinor: 500, feeMinor: 100, merchantCostMinor: 600 });

    const publisher = await getTrackingActivity(db, n.publisherA.tenant);
    expect(publisher.clicks).toEqual({ clicks: 7, uniqueClicks: 6, botClicks: 1 });
    expect(publisher.conversions).toBe(3);
    expect(publisher.money).toEqual([
      { currency: "EUR", pendingMinor: 500, approvedMinor: 0 },
      { currency: "USD", pendingMinor: 800, approvedMinor: 800 },
    ]);
    expect(publisher.latest).toHaveLength(4);
    const merchant = await getTrackingActivity(db, n.merchantA.tenant);
    expect(merchant.money).toEqual([
      { currency: "EUR", pendingMinor: 600, approvedMinor: 0 },
      { currency: "USD", pendingMinor: 960, approvedMinor: 960 },
    ]);
    expect((await getTrackingActivity(db, n.publisherB.tenant)).clicks.clicks).toBe(0);
    expect((await getDashboard(db, n.publisherA.tenant)).checklist).toBeNull();
    expect((await getDashboard(db, n.publisherB.tenant)).checklist).not.toBeNull();
  });
});
