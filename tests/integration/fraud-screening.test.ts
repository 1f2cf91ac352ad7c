import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversionScreening } from "#db/jobs/queues";
import { auditLog, clicks, loginAddresses, type FraudSignal } from "#db/schema";
import { logIn } from "~/modules/auth/accounts.server";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { forgetOldLoginAddresses, recordLoginAddress } from "~/modules/auth/login-addresses.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { ensureClickPartitions } from "~/modules/tracking/click-partitions.server";
import { clearHeldConversion, getFraudReview, listHeldConversions, rejectForFraudReview } from "~/modules/tracking/fraud-queue.server";
import { createScreeningRequests, screenConversions } from "~/modules/tracking/fraud-screening.server";
import { FRAUD_SETTINGS_DEFAULTS, getFraudSettings, updateFraudSettings } from "~/modules/tracking/fraud-settings.server";
import { createTestDatabase } from "../support/database";
import { createUser, PASSWORD } from "../support/factories";
import { clearQueue } from "../support/jobs";
import { buildTrackingWorld, type TrackingWorld } from "../support/tracking";
import { startTrackingServer, type StartedTrackingServer } from "../support/tracking-http";
import { insertConversion, partnershipRefs } from "../support/tracking-rows";

let handle: DatabaseHandle;
let w: TrackingWorld;
let staff: StaffActor;

beforeAll(async () => {
  handle = await createTestDatabase();
  // The day partitions an engine makes at start, before any click is written (else they would land in the default one).
  await ensureClickPartitions(handle.db, new Date());
  w = await buildTrackingWorld(handle.db);
  staff = await createStaffUser(handle.db, {
    email: `fraud-staff-${randomUUID().slice(0, 6)}@network.example`,
    password: "staff passphrase 1",
    name: "Staff",
  });
});
afterAll(() => handle?.close());

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
/** An address HMAC no other test uses, so counts by address see only this test's rows. */
const address = () => `ip-${randomUUID()}`;
const secondsAgo = (s: number, from = Date.now()) => new Date(from - s * 1000);

/** A pending conversion recorded a minute after its click, from a browser, unless overridden. */
function convert(overrides: Parameters<typeof insertConversion>[2] = {}, world = w) {
  const now = Date.now();
  return insertConversion(handle.db, world.partnership.id, {
    createdAt: new Date(now),
    clickedAt: secondsAgo(60, now),
    clickIpHmac: address(),
    clickUserAgent: BROWSER,
    clickFound: true,
    screenedAt: null,
    ...overrides,
  });
}

async function stateOf(id: string) {
  const [row] = await selectRows<{ status: string; reason: string | null; hold: string; screened: boolean; signals: FraudSignal[] }>(
    handle.db,
    sql`select status, reason, hold, screened_at is not null as screened, fraud_signals as signals from conversions where id = ${id}`,
  );
  return row!;
}

/** Screens everything waiting, and the signals found on the conversion. */
async function screened(id: string, now = new Date()) {
  await screenConversions(handle.db, now);
  return stateOf(id);
}

async function clicksFrom(world: TrackingWorld, ipHmac: string, count: number, lastAt: Date) {
  const refs = await partnershipRefs(handle.db, world.partnership.id);
  await handle.db.insert(clicks).values(
    Array.from({ length: count }, (_, i) => ({
      clickId: `flood-${randomUUID()}`,
      clickedAt: new Date(lastAt.getTime() - i * 60_000),
      linkId: refs.linkId,
      partnershipId: refs.partnershipId,
      offerId: refs.offerId,
      publisherId: refs.publisherId,
      merchantId: refs.merchantId,
      ipHmac,
      userAgent: BROWSER,
      isBot: false,
      isUnique: i === count - 1,
    })),
  );
}

describe("fraud signals", () => {
  it("holds a conversion made seconds after its click, and not one at the threshold", async () => {
    const now = Date.now();
    const fast = await convert({ createdAt: new Date(now), clickedAt: secondsAgo(4, now) });
    const fine = await convert({ createdAt: new Date(now), clickedAt: secondsAgo(10, now) });
    expect(await screened(fast.id)).toMatchObject({
      status: "pending",
      hold: "held",
      screened: true,
      signals: [{ code: "fast_conversion", evidence: "Converted 4 s after the click (threshold 10 s)." }],
    });
    expect(await stateOf(fine.id)).toMatchObject({ hold: "none", screened: true, signals: [] });
  });

  it("counts the click's address on its link in the hour up to the click", async () => {
    const ip = address();
    const clickedAt = secondsAgo(600);
    await clicksFrom(w, ip, 21, clickedAt);
    const flooded = await convert({ clickIpHmac: ip, clickedAt });
    expect((await screened(flooded.id)).signals).toEqual([
      { code: "click_flood", evidence: "The click's address made 21 clicks on this link in the hour up to it (threshold 20)." },
    ]);
    const calm = address();
    await clicksFrom(w, calm, 20, clickedAt);
    expect((await screened((await convert({ clickIpHmac: calm, clickedAt })).id)).hold).toBe("none");
  });

  it("names a bot's user agent, or its absence, and passes a browser", async () => {
    const curl = await convert({ clickUserAgent: "curl/8.4.0" });
    const none = await convert({ clickUserAgent: null });
    const browser = await convert();
    await screenConversions(handle.db, new Date());
    expect((await stateOf(curl.id)).signals).toEqual([
      { code: "bot_user_agent", evidence: 'The click\'s user agent is a known bot or tool: "curl/8.4.0".' },
    ]);
    expect((await stateOf(none.id)).signals).toEqual([
      { code: "bot_user_agent", evidence: "The click came with no user agent; browsers always send one." },
    ]);
    expect((await stateOf(browser.id)).hold).toBe("none");
  });

  it("finds the publisher converting from an address a member logged in from within the window", async () => {
    const ip = address();
    await recordLoginAddress(handle.db, w.publisher.owner.user.id, ip);
    const own = await convert({ clickIpHmac: ip });
    expect((await screened(own.id)).signals).toEqual([
      {
        code: "self_traffic",
        evidence: `The click's address is one a member of ${w.publisher.organization.name} logged in from in the last 30 days.`,
      },
    ]);
    const old = address();
    await recordLoginAddress(handle.db, w.publisher.owner.user.id, old);
    await handle.db
      .update(loginAddresses)
      .set({ lastSeenAt: secondsAgo(31 * 86_400) })
      .where(eq(loginAddresses.ipHmac, old));
    // The merchant's own people logging in from the address say nothing of the publisher.
    const merchants = address();
    await recordLoginAddress(handle.db, w.merchant.owner.user.id, merchants);
    await screenConversions(handle.db, new Date());
    const stale = await convert({ clickIpHmac: old });
    const merchantSide = await convert({ clickIpHmac: merchants });
    await screenConversions(handle.db, new Date());
    expect((await stateOf(stale.id)).hold).toBe("none");
    expect((await stateOf(merchantSide.id)).hold).toBe("none");
    // Kept a year, then forgotten by the hourly upkeep.
    await handle.db
      .update(loginAddresses)
      .set({ lastSeenAt: secondsAgo(366 * 86_400) })
      .where(eq(loginAddresses.ipHmac, old));
    expect(await forgetOldLoginAddresses(handle.db, new Date())).toBe(1);
  });

  it("flags a customer country the offer excludes or does not include", async () => {
    const excluding = await buildTrackingWorld(handle.db, { countryMode: "exclude", countries: ["DE"] });
    const including = await buildTrackingWorld(handle.db, { countryMode: "include", countries: ["FR", "BE"] });
    const excluded = await convert({ customerCountry: "DE" }, excluding);
    const elsewhere = await convert({ customerCountry: "FR" }, excluding);
    const outside = await convert({ customerCountry: "DE" }, including);
    const inside = await convert({ customerCountry: "BE" }, including);
    const unknown = await convert({ customerCountry: null }, including);
    await screenConversions(handle.db, new Date());
    expect((await stateOf(excluded.id)).signals).toEqual([
      { code: "excluded_country", evidence: "The merchant reported the customer in Germany, which the offer excludes." },
    ]);
    expect((await stateOf(outside.id)).signals).toEqual([
      { code: "excluded_country", evidence: "The merchant reported the customer in Germany, which the offer does not accept." },
    ]);
    for (const c of [elsewhere, inside, unknown]) expect((await stateOf(c.id)).hold).toBe("none");
  });

  it("flags an order id another merchant reported, never naming it, and ignores the same merchant and test orders", async () => {
    const other = await buildTrackingWorld(handle.db);
    const orderId = `ORD-${randomUUID().slice(0, 6)}`;
    await convert({ orderId }, other);
    await screenConversions(handle.db, new Date());
    const repeated = await convert({ orderId });
    expect((await screened(repeated.id)).signals).toEqual([
      { code: "duplicate_order", evidence: `Order ${orderId} was also reported to another merchant.` },
    ]);
    expect(JSON.stringify((await stateOf(repeated.id)).signals)).not.toContain(other.merchant.organization.name);

    const ownOrder = `ORD-${randomUUID().slice(0, 6)}`;
    await convert({ orderId: ownOrder, event: "lead" });
    const testOrder = `TEST-${randomUUID().slice(0, 6)}`;
    await convert({ orderId: testOrder, isTest: true }, other);
    await screenConversions(handle.db, new Date());
    const same = await convert({ orderId: ownOrder });
    const afterTest = await convert({ orderId: testOrder });
    await screenConversions(handle.db, new Date());
    expect((await stateOf(same.id)).hold).toBe("none");
    expect((await stateOf(afterTest.id)).hold).toBe("none");
  });

  it("flags a burst of conversions from one address, from the one past the threshold", async () => {
    const ip = address();
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 5; i >= 0; i--)
      ids.push((await convert({ clickIpHmac: ip, createdAt: secondsAgo(i * 300, now), clickedAt: secondsAgo(i * 300 + 60, now) })).id);
    await screenConversions(handle.db, new Date(now));
    for (const id of ids.slice(0, 5)) expect((await stateOf(id)).hold).toBe("none");
    expect((await stateOf(ids[5]!)).signals).toEqual([
      { code: "conversion_burst", evidence: "6 conversions from the click's address in 60 minutes (threshold 5)." },
    ]);
  });

  it("stores every signal a conversion trips, in one hold", async () => {
    const now = Date.now();
    const c = await convert({ createdAt: new Date(now), clickedAt: secondsAgo(2, now), clickUserAgent: "python-requests/2.31" });
    const state = await screened(c.id);
    expect(state.hold).toBe("held");
    expect(state.signals.map((s) => s.code)).toEqual(["fast_conversion", "bot_user_agent"]);
    const events = await selectRows<{ to_hold: string; actor_kind: string; actor_label: string }>(
      handle.db,
      sql`select to_hold, actor_kind, actor_label from conversion_events where conversion_id = ${c.id}`,
    );
    expect(events).toEqual([{ to_hold: "held", actor_kind: "job", actor_label: "Fraud screening" }]);
  });
});

describe("screening passes", () => {
  it("leaves a young conversion whose click row is not written yet, then screens it with what there is", async () => {
    const now = Date.now();
    const waiting = await convert({ clickFound: false, clickIpHmac: null, clickUserAgent: null, createdAt: new Date(now) });
    const coupon = await convert({ attributedBy: "coupon", clickId: null, clickedAt: null, clickFound: false, clickIpHmac: null });
    await screenConversions(handle.db, new Date(now));
    expect((await stateOf(waiting.id)).screened).toBe(false);
    expect((await stateOf(coupon.id)).screened).toBe(true);
    // Without the click row there is no user agent to judge: no bot signal for its absence.
    expect(await screened(waiting.id, new Date(now + 3 * 60_000))).toMatchObject({ screened: true, hold: "none", signals: [] });
  });

  it("copies a click row's details that the click batch and the postback both missed, and screens with them", async () => {
    const now = Date.now();
    const ip = address();
    await clicksFrom(w, ip, 1, secondsAgo(90, now));
    const [click] = await selectRows<{ click_id: string; clicked_at: string }>(
      handle.db,
      sql`select click_id, clicked_at::text from clicks where ip_hmac = ${ip}`,
    );
    const missed = await convert({
      clickId: click!.click_id,
      clickedAt: new Date(click!.clicked_at),
      clickFound: false,
      clickIpHmac: null,
      clickUserAgent: null,
      createdAt: new Date(now),
    });
    await screenConversions(handle.db, new Date(now));
    const [row] = await selectRows<{ click_found: boolean; click_ip_hmac: string; screened: boolean }>(
      handle.db,
      sql`select click_found, click_ip_hmac, screened_at is not null as screened from conversions where id = ${missed.id}`,
    );
    expect(row).toEqual({ click_found: true, click_ip_hmac: ip, screened: true });
  });

  it("marks conversions rejected at creation, and test conversions, screened without a hold", async () => {
    const now = Date.now();
    const rejected = await convert({ status: "rejected", reason: "cap_reached", createdAt: new Date(now), clickedAt: secondsAgo(1, now) });
    const test = await convert({ isTest: true, createdAt: new Date(now), clickedAt: secondsAgo(1, now) });
    await screenConversions(handle.db, new Date());
    expect(await stateOf(rejected.id)).toMatchObject({ status: "rejected", hold: "none", screened: true, signals: [] });
    expect(await stateOf(test.id)).toMatchObject({ hold: "none", screened: true, signals: [] });
  });

  it("works through more than a batch, a batch per transaction", async () => {
    const many = await Promise.all(Array.from({ length: 7 }, () => convert()));
    const { screened: count } = await screenConversions(handle.db, new Date(), 3);
    expect(count).toBeGreaterThanOrEqual(7);
    for (const c of many) expect((await stateOf(c.id)).screened).toBe(true);
  });

  it("uses the thresholds staff set, and audits the change", async () => {
    expect((await getFraudSettings(handle.db, staff)).settings).toEqual(FRAUD_SETTINGS_DEFAULTS);
    await updateFraudSettings(handle.db, staff, { ...FRAUD_SETTINGS_DEFAULTS, minClickSeconds: 3, burstConversions: 1 });
    try {
      const now = Date.now();
      const four = await convert({ createdAt: new Date(now), clickedAt: secondsAgo(4, now) });
      expect((await screened(four.id)).hold).toBe("none");
      const ip = address();
      await convert({ clickIpHmac: ip, createdAt: secondsAgo(60, now) });
      const second = await convert({ clickIpHmac: ip, createdAt: new Date(now) });
      expect((await screened(second.id)).signals).toEqual([
        { code: "conversion_burst", evidence: "2 conversions from the click's address in 60 minutes (threshold 1)." },
      ]);
      const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "fraud.settings_set"));
      expect(audit).toMatchObject({
        actorEmail: staff.email,
        before: { ...FRAUD_SETTINGS_DEFAULTS, defaults: true },
        after: { ...FRAUD_SETTINGS_DEFAULTS, minClickSeconds: 3, burstConversions: 1 },
      });
    } finally {
      await updateFraudSettings(handle.db, staff, FRAUD_SETTINGS_DEFAULTS);
    }
  });

  it("asks for a screening job at most once per interval, and once more for what came during it", async () => {
    await clearQueue(handle, conversionScreening);
    const requests = createScreeningRequests(
      handle.db,
      (error) => {
        throw error;
      },
      200,
    );
    for (let i = 0; i < 50; i++) requests.request();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await queued()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await queued()).toBe(2);
    requests.request();
    await requests.close();
    expect(await queued()).toBe(3);
  });
});

async function queued() {
  const [row] = await selectRows<{ count: number }>(
    handle.db,
    sql`select count(*)::int as count from pgboss.job where name = ${conversionScreening.name}`,
  );
  return row!.count;
}

describe("the fraud queue", () => {
  const due = { validationEndsAt: secondsAgo(60) };

  async function heldConversion(overrides: Parameters<typeof insertConversion>[2] = {}) {
    const now = Date.now();
    const c = await convert({ createdAt: new Date(now), clickedAt: secondsAgo(1, now), ...due, ...overrides });
    await screenConversions(handle.db, new Date());
    expect((await stateOf(c.id)).hold).toBe("held");
    return c;
  }

  it("keeps a held conversion from auto-approval until staff clear it, then approves it when due", async () => {
    const held = await heldConversion();
    await approveDueConversions(handle.db, new Date());
    expect((await stateOf(held.id)).status).toBe("pending");

    await clearHeldConversion(handle.db, staff, held.id, "Checked the order with the merchant: a real customer.");
    expect(await stateOf(held.id)).toMatchObject({ status: "pending", hold: "cleared" });
    await approveDueConversions(handle.db, new Date());
    expect(await stateOf(held.id)).toMatchObject({ status: "approved", hold: "cleared" });

    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, held.id));
    expect(audit).toMatchObject({
      action: "conversion.fraud_cleared",
      actorEmail: staff.email,
      organizationId: w.publisher.organization.id,
      before: { status: "pending", hold: "held" },
      after: { status: "pending", hold: "cleared", note: "Checked the order with the merchant: a real customer." },
    });
    const notices = await selectRows<{ organization_id: string }>(
      handle.db,
      sql`select n.organization_id from conversion_notices n join conversion_events e on e.id = n.event_id
        where e.conversion_id = ${held.id} and e.from_hold = 'held' and e.to_hold = 'cleared' order by 1`,
    );
    expect(notices.map((n) => n.organization_id).sort()).toEqual([w.merchant.organization.id, w.publisher.organization.id].sort());
  });

  it("rejects with a reason both sides read, audited, and refuses a second decision", async () => {
    const held = await heldConversion();
    await rejectForFraudReview(handle.db, staff, held.id, "fraud", "The click came from the publisher's own office.");
    expect(await stateOf(held.id)).toMatchObject({ status: "rejected", reason: "fraud", hold: "held" });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, held.id));
    expect(audit).toMatchObject({
      action: "conversion.fraud_rejected",
      before: { status: "pending", hold: "held", reason: null },
      after: { status: "rejected", reason: "fraud", note: "The click came from the publisher's own office." },
    });
    await expect(clearHeldConversion(handle.db, staff, held.id, "Changed my mind")).rejects.toMatchObject({ status: 409 });
    await expect(rejectForFraudReview(handle.db, staff, held.id, "fraud", null)).rejects.toMatchObject({ status: 409 });
    await expect(clearHeldConversion(handle.db, staff, randomUUID(), "No such conversion")).rejects.toMatchObject({ status: 404 });
  });

  it("lists held conversions oldest first, a page at a time, and shows one with its publisher's history", async () => {
    const first = await heldConversion();
    const review = await getFraudReview(handle.db, staff, first.id);
    expect(review.conversion).toMatchObject({ hold: "held", secondsToConvert: 1 });
    expect(review.conversion.fraudSignals[0]).toMatchObject({ code: "fast_conversion" });
    expect(review.events.map((e) => [e.toHold, e.actor])).toEqual([["held", "Fraud screening"]]);
    expect(review.history.total).toBeGreaterThan(0);
    expect(review.history.held).toBeGreaterThan(0);
    expect(review.history.holdRateBps).toBe(Math.round((review.history.held * 10_000) / review.history.total));

    const page = await listHeldConversions(handle.db, staff, null);
    const ids = page.rows.map((r) => r.id);
    expect(ids).toContain(first.id);
    expect(page.held).toBe(page.rows.length);
    const times = page.rows.map((r) => new Date(r.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(page.rows.every((r) => r.hold === "held" && r.status === "pending" && r.signals.length > 0)).toBe(true);
  });
});

describe("postbacks and log-ins feed the screen", () => {
  let server: StartedTrackingServer;
  beforeAll(async () => {
    server = await startTrackingServer(handle);
  });
  afterAll(() => server?.close());

  it("stores the customer's country, refuses an unknown one, and asks for screening", async () => {
    const world = await server.world({ countryMode: "exclude", countries: ["DE"] });
    await clearQueue(handle, conversionScreening);
    const click = await server.app.click(`/c/${world.link.code}`, { ip: "198.51.100.77" });
    const clickId = new URL(click.location!).searchParams.get("click_id")!;
    const bad = await server.app.get({ token: world.token, click_id: clickId, order_id: "C-0", amount: "10.00", country: "Germany" });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_parameters" } } });
    const sent = { token: world.token, click_id: clickId, order_id: "C-1", amount: "10.00", country: "de" };
    const answer = await server.app.get(sent);
    expect(answer.status).toBe(201);
    // The country is part of what a replay must repeat.
    expect(await server.app.get(sent)).toMatchObject({ status: 200, body: { replayed: true } });
    expect((await server.app.get({ ...sent, country: "FR" })).status).toBe(409);
    const [row] = await selectRows<{ customer_country: string }>(
      handle.db,
      sql`select customer_country from conversions where id = ${answer.body.conversion!.id}`,
    );
    expect(row!.customer_country).toBe("DE");
    await expect.poll(queued).toBeGreaterThanOrEqual(1);

    await server.tracking.recorder.flush();
    const state = await screened(answer.body.conversion!.id);
    expect(state.hold).toBe("held");
    expect(state.signals.map((s) => s.code)).toEqual(["fast_conversion", "excluded_country"]);
  });

  it("hashes a log-in's address the way it hashes a click's, and remembers it when the log-in succeeds", async () => {
    const ip = "198.51.100.78";
    const world = await server.world();
    const click = await server.app.click(`/c/${world.link.code}`, { ip });
    await server.tracking.recorder.flush();
    const clickId = new URL(click.location!).searchParams.get("click_id")!;
    const [row] = await selectRows<{ ip_hmac: string }>(handle.db, sql`select ip_hmac from clicks where click_id = ${clickId}`);
    expect(server.tracking.engine.ipHmac(ip)).toBe(row!.ip_hmac);

    const { user } = await createUser(handle.db);
    const attempt = (password: string) => logIn(handle.db, { email: user.email, password, ip, ipHmac: server.tracking.engine.ipHmac(ip) });
    await expect(attempt("not the password")).rejects.toMatchObject({ code: "invalid_credentials" });
    expect(await handle.db.select().from(loginAddresses).where(eq(loginAddresses.userId, user.id))).toEqual([]);
    await attempt(PASSWORD);
    const [recorded] = await handle.db.select().from(loginAddresses).where(eq(loginAddresses.userId, user.id));
    expect(recorded!.ipHmac).toBe(row!.ip_hmac);
  });
});
