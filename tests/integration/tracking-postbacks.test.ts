import { and, eq, sql } from "drizzle-orm";
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversionScreening, type JobQueue } from "#db/jobs/queues";
import { conversions, coupons, postbackLog } from "#db/schema";
import { changePartnershipStatus, setCustomTerms } from "~/modules/applications/partnerships.server";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { setMerchantFee } from "~/modules/commissions/fees.server";
import { changeOfferStatus } from "~/modules/offers/offers.server";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { signClickId, type ClickIdFields } from "~/modules/tracking/click-id";
import { writeClicks } from "~/modules/tracking/click-recorder.server";
import { newClick } from "~/modules/tracking/clicks.server";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import { signPostback } from "~/modules/tracking/postback-signature";
import { parseSigningKeys } from "~/modules/tracking/tracking-keys.server";
import { createTestDatabase } from "#tests/support/database";
import { clearQueue } from "#tests/support/jobs";
import { links } from "#tests/support/factories";
import { conversionLedger, TEST_IP_HMAC_KEY, testClickKeys, type TrackingWorld } from "#tests/support/tracking";
import {
  startTrackingServer,
  untilCached,
  type PostbackReply,
  type StartedTrackingServer,
  type TrackingServer,
} from "#tests/support/tracking-http";

/*
 * /postback through the server's own request handling on real PostgreSQL: exactly-once under
 * concurrency, both ways of authenticating, what it refuses, why it rejects, what it charges, and
 * the merchant's log of it all.
 */
const DAY = 24 * 60 * 60;

let handle: DatabaseHandle;
let served: StartedTrackingServer;
let tracking: StartedTrackingEngine;
let app: TrackingServer;
let world: StartedTrackingServer["world"];
let staff: StaffActor;
const ring = testClickKeys();

beforeAll(async () => {
  handle = await createTestDatabase();
  served = await startTrackingServer(handle);
  ({ tracking, app, world } = served);
  staff = await createStaffUser(handle.db, { email: `staff-${Date.now()}@network.example`, password: "staff passphrase 1", name: "Staff" });
});

afterAll(async () => {
  await served?.close();
  await handle?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A click id as the engine signs one, for the world's link. */
const clickIdFor = (w: TrackingWorld, fields: Partial<ClickIdFields> = {}, keys = ring) =>
  signClickId(keys, { linkId: w.link.id, clickedAt: nowSeconds(), bot: false, country: null, ...fields });

/** A click id from a real click on the world's link. */
async function realClick(w: TrackingWorld, options: Parameters<TrackingServer["click"]>[1] = {}) {
  const answer = await app.click(`/c/${w.link.code}`, options);
  expect(answer.status).toBe(302);
  return new URL(answer.location!).searchParams.get("click_id")!;
}

let orders = 0;
const newOrder = () => `order-${++orders}`;

/** A token-authenticated sale for the world: 49.90 in the offer's currency unless said otherwise. */
const sale = (w: TrackingWorld, parameters: Record<string, string> = {}) =>
  app.get({ token: w.token, click_id: clickIdFor(w), order_id: newOrder(), amount: "49.90", currency: "USD", ...parameters });

async function conversionOf(w: TrackingWorld, orderId: string) {
  const rows = await handle.db
    .select()
    .from(conversions)
    .where(and(eq(conversions.merchantId, w.merchant.organization.id), eq(conversions.orderId, orderId)));
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

const countOf = async (w: TrackingWorld) =>
  (await handle.db.select().from(conversions).where(eq(conversions.merchantId, w.merchant.organization.id))).length;

function expectError(reply: PostbackReply, status: number, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body.error?.code).toBe(code);
  expect(reply.body.error?.message).toBeTruthy();
}

function expectRejected(reply: PostbackReply, reason: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  expect(reply.body.conversion).toMatchObject({ status: "rejected", reason });
}

describe("exactly once", () => {
  it("makes one conversion of 100 identical postbacks sent at once; the others replay it", async () => {
    const w = await world();
    const clickId = await realClick(w);
    const parameters = { token: w.token, click_id: clickId, order_id: "A-1000", amount: "49.90", currency: "USD" };
    const replies = await Promise.all(Array.from({ length: 100 }, () => app.get(parameters)));
    for (const reply of replies) expect([200, 201]).toContain(reply.status);
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.body.replayed === true)).toHaveLength(99);
    const ids = new Set(replies.map((r) => r.body.conversion!.id));
    expect(ids.size).toBe(1);
    expect(await countOf(w)).toBe(1);
    const row = await conversionOf(w, "A-1000");
    expect(row).toMatchObject({ status: "pending", saleAmountMinor: 4990, clickId, attributedBy: "click" });
  });

  it("makes 100 conversions of 100 different orders sent at once, each counted once for the tiers", async () => {
    const w = await world();
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => sale(w, { order_id: `B-${i}`, amount: "100.00" })));
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const rows = await handle.db.select().from(conversions).where(eq(conversions.merchantId, w.merchant.organization.id));
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.orderId)).size).toBe(100);
    // The offer form's default: 8 %, 10 % from the 50th conversion of the month.
    expect(rows.map((r) => r.termsSnapshot!.monthConversionsBefore).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(rows.filter((r) => r.commissionMinor === 800)).toHaveLength(49);
    expect(rows.filter((r) => r.commissionMinor === 1000)).toHaveLength(51);
  });

  it("answers a replay with the first result, and one with a changed amount with 409, changing nothing", async () => {
    const w = await world();
    const parameters = { token: w.token, click_id: clickIdFor(w), order_id: "C-1", amount: "20.00", currency: "USD" };
    const first = await app.get(parameters);
    expect(first.status).toBe(201);
    const before = await conversionOf(w, "C-1");

    const again = await app.get(parameters);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });

    expectError(await app.get({ ...parameters, amount: "20.01" }), 409, "order_conflict");
    expectError(await app.get({ ...parameters, click_id: clickIdFor(w) }), 409, "order_conflict");
    expect(await conversionOf(w, "C-1")).toEqual(before);
    expect(await countOf(w)).toBe(1);
  });
});

describe("the click behind a conversion", () => {
  it("copies the click's sub ids and details onto the conversion, whether its row was written before or after", async () => {
    const w = await world();
    const early = await realClick(w, { ip: "8.8.8.8" });
    await tracking.recorder.flush();
    expect((await sale(w, { click_id: early, order_id: "K-1" })).status).toBe(201);
    // A click whose row is written after the conversion, by the batch writer itself: through the
    // redirect, the recorder's timer could write it while the postback commits, and each would miss
    // the other (fraud screening copies those; see its test).
    const link = tracking.cache.linkByPartnership(w.partnership.id)!;
    const late = newClick(ring, link, tracking.cache.offer(link.offerId)!, {
      subs: ["late", null, null, null, "five"],
      ip: "81.2.69.142",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
      referrer: null,
      country: "GB",
      isBot: false,
    });
    expect((await sale(w, { click_id: late.clickId, order_id: "K-2" })).status).toBe(201);
    expect(await conversionOf(w, "K-2")).toMatchObject({ clickFound: false });
    await writeClicks(handle.db, [late], Buffer.from(TEST_IP_HMAC_KEY, "base64"));
    expect(await conversionOf(w, "K-1")).toMatchObject({ clickFound: true, clickCountry: "US", linkId: w.link.id });
    const second = await conversionOf(w, "K-2");
    expect(second).toMatchObject({ clickFound: true, clickCountry: "GB", sub1: "late", sub5: "five" });
    expect(second!.clickIpHmac).toBeTruthy();
    expect(second!.clickUserAgent).toContain("Mozilla");
  });
});

describe("authentication", () => {
  let w: TrackingWorld;
  beforeAll(async () => {
    w = await world();
  });

  const signedQuery = (parameters: Record<string, string>) =>
    new URLSearchParams({ merchant: w.merchant.organization.id, ...parameters }).toString();
  const fields = () => ({ click_id: clickIdFor(w), order_id: newOrder(), amount: "10.00", currency: "USD" });

  it("takes the merchant's token", async () => {
    expect((await sale(w)).status).toBe(201);
  });

  it("refuses a wrong token and a request with neither token nor signature", async () => {
    expectError(await sale(w, { token: `${w.token}x` }), 401, "invalid_token");
    expectError(await sale(w, { token: "sbp_nobody" }), 401, "invalid_token");
    expectError(await app.get(fields()), 401, "unauthenticated");
  });

  it("takes a signed GET (the raw query string) and signed POSTs (the raw body), form or JSON", async () => {
    const query = signedQuery(fields());
    const get = await fetch(`${app.base}/postback?${query}`, {
      headers: { "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), query) },
    });
    expect(get.status, await get.clone().text()).toBe(201);

    const form = signedQuery(fields());
    expect((await app.post(form, { "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), form) })).status).toBe(201);

    const json = JSON.stringify({ merchant: w.merchant.organization.id, ...fields() });
    const reply = await app.post(json, {
      "content-type": "application/json",
      "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), json),
    });
    expect(reply.status).toBe(201);
  });

  it("refuses a stale signature, a wrong secret, another merchant's secret and a body changed after signing", async () => {
    const body = signedQuery(fields());
    expectError(
      await app.post(body, { "switchboard-signature": signPostback(w.signingSecret, nowSeconds() - 600, body) }),
      401,
      "stale_signature",
    );
    expectError(
      await app.post(body, { "switchboard-signature": signPostback(w.signingSecret, nowSeconds() + 600, body) }),
      401,
      "stale_signature",
    );
    expectError(
      await app.post(body, { "switchboard-signature": signPostback(`${w.signingSecret}x`, nowSeconds(), body) }),
      401,
      "invalid_signature",
    );
    const other = await world();
    expectError(
      await app.post(body, { "switchboard-signature": signPostback(other.signingSecret, nowSeconds(), body) }),
      401,
      "invalid_signature",
    );
    const header = signPostback(w.signingSecret, nowSeconds(), body);
    expectError(
      await app.post(body.replace("amount=10.00", "amount=99.00"), { "switchboard-signature": header }),
      401,
      "invalid_signature",
    );
    expectError(await app.post(body, { "switchboard-signature": "t=1,v1=zz" }), 401, "invalid_signature");
    const unnamed = new URLSearchParams(fields()).toString();
    expectError(
      await app.post(unnamed, { "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), unnamed) }),
      401,
      "invalid_signature",
    );
    expect(await countOf(other)).toBe(0);
  });

  it("makes nothing new of a replayed signed request", async () => {
    const body = signedQuery(fields());
    const headers = { "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), body) };
    const first = await app.post(body, headers);
    expect(first.status).toBe(201);
    const count = await countOf(w);
    const replay = await app.post(body, headers);
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    expect(await countOf(w)).toBe(count);
  });

  it("lets no unsigned query parameter change what a signed POST body says", async () => {
    const sent = fields();
    const body = signedQuery(sent);
    const headers = { "switchboard-signature": signPostback(w.signingSecret, nowSeconds(), body) };
    expect((await app.post(body, headers)).status).toBe(201);
    const before = await conversionOf(w, sent.order_id);
    // Someone who saw the signed request sends it again, with a parameter the body did not have: refused.
    expectError(await app.post(body, headers, "?status=reversed"), 400, "unsigned_parameters");
    expect(await conversionOf(w, sent.order_id)).toEqual(before);
  });
});

describe("click ids", () => {
  let w: TrackingWorld;
  beforeAll(async () => {
    w = await world();
  });

  it("refuse forged, truncated and tampered click ids as unknown", async () => {
    const valid = clickIdFor(w);
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const bytes = Buffer.from(valid, "base64url");
    const otherLink = Buffer.from(bytes);
    otherLink.writeUIntBE(w.link.id + 1, 3, 6);
    const notBot = Buffer.from(signClickId(ring, { linkId: w.link.id, clickedAt: nowSeconds(), bot: true, country: null }), "base64url");
    notBot[2] = 0;
    const forged = [
      "A".repeat(52),
      Buffer.alloc(39, 1).toString("base64url"),
      valid.slice(0, -1),
      valid.slice(0, 30),
      `${valid}A`,
      `${valid}==`,
      flip(valid, 0),
      flip(valid, 10),
      flip(valid, 30),
      flip(valid, 51),
      otherLink.toString("base64url"),
      notBot.toString("base64url"),
      valid.toLowerCase(),
      valid.replaceAll("-", "+").replaceAll("_", "/"),
      "../../etc/passwd",
      "' or 1=1 --",
    ];
    for (const clickId of forged) {
      if (clickId === valid) continue;
      expectError(await sale(w, { click_id: clickId }), 404, "unknown_click");
    }
    expect(await countOf(w)).toBe(0);
  });

  it("refuse a click id signed with a key this network does not hold, and take one signed with a retired key it still holds", async () => {
    const unknownKey = parseSigningKeys(`9:${Buffer.alloc(32, 7).toString("base64")}`);
    expectError(await sale(w, { click_id: clickIdFor(w, {}, unknownKey) }), 404, "unknown_click");
    const retiredKey = parseSigningKeys(`3:${Buffer.alloc(32, 3).toString("base64")}`);
    expect((await sale(w, { click_id: clickIdFor(w, {}, retiredKey) })).status).toBe(201);
  });

  it("treat another merchant's click as unknown", async () => {
    const other = await world();
    expectError(await sale(other, { click_id: clickIdFor(w) }), 404, "unknown_click");
    expectError(await sale(w, { click_id: clickIdFor(other) }), 404, "unknown_click");
    expect(await countOf(other)).toBe(0);
  });

  it("refuse a postback with neither a click id nor a coupon", async () => {
    expectError(await app.get({ token: w.token, order_id: newOrder(), amount: "1.00" }), 400, "missing_attribution");
  });
});

describe("coupons", () => {
  it("attribute to the partnership that holds the code, whatever its case; another's code is unknown", async () => {
    const w = await world();
    const other = await world();
    await handle.db.insert(coupons).values([
      { merchantId: w.merchant.organization.id, partnershipId: w.partnership.id, code: "Summer10" },
      { merchantId: other.merchant.organization.id, partnershipId: other.partnership.id, code: "WINTER5" },
    ]);
    await untilCached(tracking, () => tracking.cache.couponPartnership(other.merchant.organization.id, "winter5") === other.partnership.id);
    await untilCached(tracking, () => tracking.cache.couponPartnership(w.merchant.organization.id, "summer10") === w.partnership.id);

    const reply = await app.get({ token: w.token, coupon: "SUMMER10", order_id: "D-1", amount: "30.00" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(await conversionOf(w, "D-1")).toMatchObject({
      attributedBy: "coupon",
      couponCode: "SUMMER10",
      partnershipId: w.partnership.id,
      publisherId: w.publisher.organization.id,
      clickId: null,
    });
    expectError(await app.get({ token: w.token, coupon: "AUTUMN", order_id: newOrder(), amount: "30.00" }), 404, "unknown_coupon");
    expectError(await app.get({ token: w.token, coupon: "winter5", order_id: newOrder(), amount: "30.00" }), 404, "unknown_coupon");
  });
});

describe("the postback log", () => {
  it("has a row per authenticated request, with its outcome and the token masked", async () => {
    const w = await world();
    const first = { click_id: clickIdFor(w), order_id: "L-1" };
    await sale(w, first);
    await sale(w, first);
    await sale(w, { currency: "EUR" });
    await app.get({ token: w.token, click_id: clickIdFor(w), amount: "1.00" });
    const body = new URLSearchParams({ merchant: w.merchant.organization.id, click_id: clickIdFor(w), order_id: "L-2" }).toString();
    await app.post(body, { "switchboard-signature": signPostback(w.signingSecret, nowSeconds() - 900, body) });
    await sale(w, { token: "sbp_wrong" });
    await tracking.log.flush();

    const rows = await handle.db
      .select()
      .from(postbackLog)
      .where(eq(postbackLog.merchantId, w.merchant.organization.id))
      .orderBy(postbackLog.id);
    expect(rows.map((r) => [r.httpStatus, r.outcome, r.replayed, r.authentication])).toEqual([
      [201, "recorded", false, "token"],
      [200, "replayed", true, "token"],
      [422, "currency_mismatch", false, "token"],
      [400, "invalid_parameters", false, "token"],
      [401, "stale_signature", false, "refused"],
    ]);
    expect(rows[0]!.conversionId).toBe((await conversionOf(w, "L-1"))!.id);
    expect(rows[0]!.parameters.token).toBe(`${w.token.slice(0, 8)}…`);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(w.token);
  });

  it("keeps logging after requests whose parameters hold a NUL character or a lone surrogate", async () => {
    const w = await world();
    // Anyone who knows a merchant's id can have a refused signed request logged.
    const refused = new URLSearchParams({ merchant: w.merchant.organization.id, order_id: "nul\u0000" }).toString();
    expectError(await app.post(refused, { "switchboard-signature": `t=${nowSeconds()},v1=${"0".repeat(64)}` }), 401, "invalid_signature");
    const json = JSON.stringify({ token: w.token, click_id: clickIdFor(w), order_id: "O-1", event: "\ud800" });
    expectError(await app.post(json, { "content-type": "application/json" }), 400, "invalid_parameters");
    await tracking.log.flush();
    expect((await sale(w, { order_id: "after-nul" })).status).toBe(201);
    await tracking.log.flush();
    const rows = await handle.db.select().from(postbackLog).where(eq(postbackLog.merchantId, w.merchant.organization.id));
    expect(rows.map((r) => r.parameters.order_id)).toContain("after-nul");
    expect(rows).toHaveLength(3);
  });
});

describe("the test tool", () => {
  it("makes a real click and a test conversion, and asks for its fraud screening like any other", async () => {
    const w = await world();
    // Earlier sales' screening requests go out within a second (they are spaced); let them, then start clean.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await clearQueue(handle, conversionScreening);
    const orderId = newOrder();
    const result = await tracking.engine.testPostback(handle.db, w.merchant.tenant, {
      partnershipId: w.partnership.id,
      orderId,
      amount: "10.00",
      event: "sale",
    });
    expect(result.answer.status).toBe(201);
    const [made] = await handle.db.select().from(conversions).where(eq(conversions.orderId, orderId));
    expect(made).toMatchObject({ isTest: true, clickId: result.clickId });
    // Queued within the request, not later.
    expect(await jobsOf(conversionScreening)).toBe(1);
  });
});

async function jobsOf(queue: JobQueue<unknown>) {
  const [row] = await selectRows<{ count: number }>(
    handle.db,
    sql`select count(*)::int as count from pgboss.job where name = ${queue.name}`,
  );
  return row!.count;
}

describe("bad input", () => {
  let w: TrackingWorld;
  beforeAll(async () => {
    w = await world({
      terms: [
        { event: "sale", type: "cps", amount: "", percent: "8", tiers: [] },
        { event: "lead", type: "cpa", amount: "5", percent: "", tiers: [] },
      ],
    });
  });

  it("refuses another currency than the offer's", async () => {
    expectError(await sale(w, { currency: "EUR" }), 422, "currency_mismatch");
    expect((await sale(w, { currency: "usd" })).status).toBe(201);
  });

  it("refuses an event the offer does not pay for", async () => {
    expectError(await sale(w, { event: "signup" }), 422, "unknown_event");
    expectError(await sale(w, { event: "Sale!" }), 400, "invalid_parameters");
  });

  it("refuses an amount it cannot read, saying how to write it", async () => {
    const reply = await sale(w, { amount: "12,50" });
    expectError(reply, 422, "invalid_amount");
    expect(reply.body.error!.message).toMatch(/dot/);
    for (const amount of ["-5.00", "1e3", "12.345", "$12", "NaN", "99999999999999999999"])
      expectError(await sale(w, { amount }), 422, "invalid_amount");
    expectError(await sale(w, { amount: "" }), 422, "amount_required");
  });

  it("takes a CPA event without an amount", async () => {
    const reply = await sale(w, { event: "lead", amount: "" });
    expect(reply.status).toBe(201);
    expect(reply.body.conversion).toMatchObject({ amount: "0.00", commission: "5.00" });
  });

  it("refuses a postback without an order id", async () => {
    const reply = await app.get({ token: w.token, click_id: clickIdFor(w), amount: "10.00" });
    expectError(reply, 400, "invalid_parameters");
    expect(reply.body.error!.message).toContain("order_id");
    expectError(await sale(w, { order_id: "   " }), 400, "invalid_parameters");
    expectError(await sale(w, { order_id: "x".repeat(101) }), 400, "invalid_parameters");
  });

  it("refuses bodies it does not read: 415, 413, 400", async () => {
    const body = new URLSearchParams({ token: w.token, click_id: clickIdFor(w), order_id: newOrder(), amount: "1.00" }).toString();
    expectError(await app.post(body, { "content-type": "text/plain" }), 415, "unsupported_media_type");
    expectError(await app.post(body, { "content-type": "multipart/form-data; boundary=x" }), 415, "unsupported_media_type");
    expectError(await app.post(`${body}&pad=${"x".repeat(17 * 1024)}`), 413, "body_too_large");
    expectError(await app.post("{", { "content-type": "application/json" }), 400, "malformed_body");
    expectError(await app.post("[1,2]", { "content-type": "application/json" }), 400, "malformed_body");
    expectError(
      await app.post(JSON.stringify({ token: w.token, order_id: { $ne: 1 } }), { "content-type": "application/json" }),
      400,
      "malformed_body",
    );
    const put = await fetch(`${app.base}/postback`, { method: "PUT", body });
    expect(put.status).toBe(405);
  });

  it("stops reading a body past the limit without waiting for its end", async () => {
    expect(await statusBeforeBodyEnds(app.base, 64 * 1024)).toBe(413);
  });

  it("answers a NUL character or a lone surrogate in a parameter without a 500", async () => {
    const cases: [string, Record<string, string>][] = [
      ["json", { order_id: "a\u0000b" }],
      ["json", { order_id: "\ud800" }],
      ["json", { customer_id: "\udfff" }],
      ["get", { order_id: "a\u0000b" }],
      ["get", { customer_id: "c\u0000" }],
      ["form", { coupon: "\u0000" }],
    ];
    const failures: string[] = [];
    for (const [how, parameters] of cases) {
      const p = { token: w.token, click_id: clickIdFor(w), order_id: newOrder(), amount: "1.00", ...parameters };
      const response = await send(how, p);
      if (response.status === 500) failures.push(`${how} ${JSON.stringify(parameters)}`);
    }
    expect(failures, "answered 500").toEqual([]);
  });

  it("never answers 500, whatever the parameters (property)", async () => {
    const names = ["token", "click_id", "coupon", "order_id", "amount", "currency", "event", "status", "customer_id", "merchant"];
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "binary-ascii", maxLength: 40 }),
      fc.constantFrom(
        w.token,
        clickIdFor(w),
        "49.90",
        "12,50",
        "USD",
        "EUR",
        "sale",
        "lead",
        "reversed",
        "pending",
        w.merchant.organization.id,
        "",
      ),
    );
    const parameters = fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), value, { maxKeys: 10 });
    const withToken = parameters.map((p) => ({ token: w.token, ...p }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(parameters, withToken), fc.constantFrom("get", "form", "json"), async (p, how) => {
        const response = await send(how, p);
        const text = await response.text();
        expect(response.status, `${how} ${JSON.stringify(p)} → ${text}`).not.toBe(500);
        expect(() => JSON.parse(text) as unknown).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});

describe("conversions that are recorded but do not earn", () => {
  it("rejects a conversion of a bot's click", async () => {
    const w = await world();
    const clickId = await realClick(w, { userAgent: "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" });
    expectRejected(await sale(w, { click_id: clickId }), "bot_click");
  });

  it("rejects a conversion after the cookie window", async () => {
    const w = await world({ cookieDays: "30" });
    expectRejected(await sale(w, { click_id: clickIdFor(w, { clickedAt: nowSeconds() - 31 * DAY }) }), "cookie_expired");
    expect((await sale(w, { click_id: clickIdFor(w, { clickedAt: nowSeconds() - 29 * DAY }) })).status).toBe(201);
  });

  it("rejects a conversion on a paused offer, on a paused partnership, for a suspended publisher", async () => {
    const w = await world();
    const clickId = await realClick(w);

    await changeOfferStatus(handle.db, w.merchant.tenant, w.offer.id, "pause");
    await untilCached(tracking, () => tracking.cache.offer(w.offer.id)?.status === "paused");
    expectRejected(await sale(w, { click_id: clickId }), "offer_paused");
    await changeOfferStatus(handle.db, w.merchant.tenant, w.offer.id, "resume");
    await untilCached(tracking, () => tracking.cache.offer(w.offer.id)?.status === "active");

    await changePartnershipStatus(handle.db, w.merchant.tenant, { partnershipId: w.partnership.id, action: "pause" }, links);
    await untilCached(tracking, () => tracking.cache.linkById(w.link.id)?.partnershipStatus === "paused");
    expectRejected(await sale(w, { click_id: clickId }), "partnership_inactive");
    await changePartnershipStatus(handle.db, w.merchant.tenant, { partnershipId: w.partnership.id, action: "resume" }, links);
    await untilCached(tracking, () => tracking.cache.linkById(w.link.id)?.partnershipStatus === "active");

    await reviewOrganization(
      handle.db,
      staff,
      { organizationId: w.publisher.organization.id, decision: "suspend", reason: "Cookie stuffing" },
      links,
    );
    await untilCached(tracking, () => tracking.cache.organizationStatus(w.publisher.organization.id) === "suspended");
    expectRejected(await sale(w, { click_id: clickId }), "publisher_suspended");
  });

  it("rejects a conversion of a click from an excluded country", async () => {
    const w = await world({ countryMode: "exclude", countries: ["US"] });
    const clickId = await realClick(w, { ip: "8.8.8.8" });
    expectRejected(await sale(w, { click_id: clickId }), "country_excluded");
    const elsewhere = await realClick(w, { ip: "192.0.2.9" });
    expect((await sale(w, { click_id: elsewhere })).body.conversion?.status).toBe("pending");
  });

  it("rejects the conversion past the partner's daily cap", async () => {
    const w = await world({ partnerDaily: "2" });
    expect((await sale(w)).body.conversion?.status).toBe("pending");
    expect((await sale(w)).body.conversion?.status).toBe("pending");
    expectRejected(await sale(w), "cap_reached");
  });

  it("lets exactly the cap through of 20 conversions sent at once", async () => {
    const w = await world({ partnerDaily: "5" });
    const replies = await Promise.all(Array.from({ length: 20 }, () => sale(w)));
    for (const reply of replies) expect(reply.status).toBe(201);
    const rows = await handle.db.select().from(conversions).where(eq(conversions.merchantId, w.merchant.organization.id));
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(5);
    expect(rows.filter((r) => r.status === "rejected" && r.reason === "cap_reached")).toHaveLength(15);
  });

  it("rejects a pending conversion the merchant refunds, and knows no refund of an unknown order", async () => {
    const w = await world();
    const sent = await sale(w, { order_id: "R-1" });
    expect(sent.status).toBe(201);
    const refund = await app.get({ token: w.token, order_id: "R-1", status: "reversed" });
    expect(refund.status).toBe(200);
    expect(refund.body.conversion).toMatchObject({ id: sent.body.conversion!.id, status: "rejected", reason: "returned" });
    expect(await conversionOf(w, "R-1")).toMatchObject({ status: "rejected", reason: "returned" });
    const again = await app.get({ token: w.token, order_id: "R-1", status: "reversed" });
    expect(again.body).toMatchObject({ replayed: true, conversion: { status: "rejected", reason: "returned" } });
    expectError(await app.get({ token: w.token, order_id: "R-unknown", status: "reversed" }), 404, "unknown_order");
  });
});

describe("pricing", () => {
  it("moves to the tier once the month's count reaches it", async () => {
    const w = await world({
      terms: [{ event: "sale", type: "cps", amount: "", percent: "8", tiers: [{ minConversions: "2", amount: "", percent: "10" }] }],
    });
    const first = await sale(w, { amount: "100.00", order_id: "T-1" });
    const second = await sale(w, { amount: "100.00", order_id: "T-2" });
    // The network's default fee: 20 % of the commission, no minimum.
    expect(first.body.conversion).toMatchObject({
      amount: "100.00",
      commission: "8.00",
      fee: "1.60",
      merchant_cost: "9.60",
      currency: "USD",
    });
    expect(second.body.conversion).toMatchObject({ commission: "10.00", fee: "2.00", merchant_cost: "12.00" });
    const row = await conversionOf(w, "T-2");
    expect(row!.termsSnapshot).toMatchObject({ source: "offer", tierIndex: 0, monthConversionsBefore: 1, bps: 1000, flatMinor: 0 });
    expect(row!.feeSnapshot).toEqual({ source: "network", bps: 2000, minimumMinor: 0 });
  });

  it("prices with the partnership's custom rate over the offer's terms and tiers", async () => {
    const w = await world({
      terms: [{ event: "sale", type: "cps", amount: "", percent: "8", tiers: [{ minConversions: "1", amount: "", percent: "10" }] }],
    });
    const custom = [{ event: "sale", type: "hybrid" as const, flatMinor: 200, bps: 1500, tiers: [] }];
    await setCustomTerms(handle.db, w.merchant.tenant, { partnershipId: w.partnership.id, terms: custom }, links);
    await untilCached(tracking, () => tracking.cache.linkById(w.link.id)?.customTerms?.[0]?.bps === 1500);
    const reply = await sale(w, { amount: "100.00", order_id: "P-1" });
    expect(reply.body.conversion).toMatchObject({ commission: "17.00", fee: "3.40", merchant_cost: "20.40" });
    expect((await conversionOf(w, "P-1"))!.termsSnapshot).toMatchObject({
      source: "partnership",
      term: custom[0],
      tierIndex: null,
      flatMinor: 200,
      bps: 1500,
    });
  });

  it("charges the merchant's fee override with its minimum, exactly", async () => {
    const w = await world();
    await setMerchantFee(handle.db, staff, w.merchant.organization.slug, { bps: 1000, minimums: { USD: 250 } });
    await untilCached(tracking, () => tracking.cache.feeFor(w.merchant.organization.id, "USD").minimumMinor === 250);
    const small = await sale(w, { amount: "10.00", order_id: "F-1" });
    expect(small.body.conversion).toMatchObject({ commission: "0.80", fee: "2.50", merchant_cost: "3.30" });
    expect((await conversionOf(w, "F-1"))!.feeSnapshot).toEqual({ source: "merchant", bps: 1000, minimumMinor: 250 });
    const large = await sale(w, { amount: "5000.05" });
    // 8 % of 500005 is 40000.4 → 40000; 10 % of that is 4000, above the minimum.
    expect(large.body.conversion).toMatchObject({ commission: "400.00", fee: "40.00", merchant_cost: "440.00" });
    const odd = await sale(w, { amount: "0.07" });
    // 8 % of 7 is 0.56 → 1 (half up once); the fee is the minimum.
    expect(odd.body.conversion).toMatchObject({ commission: "0.01", fee: "2.50", merchant_cost: "2.51" });
  });

  it("keeps merchant cost = commission + fee on every conversion recorded", async () => {
    const { recorded, broken } = await conversionLedger(handle.db);
    expect(recorded).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });
});

/** A postback sent as a query, a form body or a JSON body, answered as it is (a 500 is not JSON). */
function send(how: string, parameters: Record<string, string>) {
  if (how === "get") return fetch(`${app.base}/postback?${new URLSearchParams(parameters)}`);
  return fetch(`${app.base}/postback`, {
    method: "POST",
    body: how === "form" ? new URLSearchParams(parameters).toString() : JSON.stringify(parameters),
    headers: { "content-type": how === "form" ? "application/x-www-form-urlencoded" : "application/json" },
  });
}

/**
 * Sends a chunked POST with `bytes` of body and then holds the request open: a server that stops
 * reading at its limit answers now; one that buffers whatever comes would wait for the end.
 */
function statusBeforeBodyEnds(base: string, bytes: number) {
  return new Promise<number | "no answer while the body was still open">((resolve, reject) => {
    const outgoing = httpRequest(
      `${base}/postback`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" }, agent: false },
      (res) => {
        clearTimeout(timer);
        res.resume();
        outgoing.destroy();
        resolve(res.statusCode!);
      },
    );
    outgoing.on("error", (error) => (outgoing.destroyed ? undefined : reject(error)));
    const timer = setTimeout(() => {
      outgoing.destroy();
      resolve("no answer while the body was still open");
    }, 2000);
    outgoing.write(`order_id=${"x".repeat(bytes)}`);
  });
}
