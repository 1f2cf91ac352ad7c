import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offerIndexing } from "#db/jobs/queues";
import { conversions, marketplaceStats } from "#db/schema";
import { buildOfferDocuments } from "#search/documents";
import { queueOfferIndexing } from "#search/outbox";
import { PostgresOfferSearch } from "#search/postgres";
import { emptyFilters } from "#search/types";
import { indexOffers } from "#search/worker";
import { DAY_MS } from "~/lib/time";
import { applyToOffer } from "~/modules/applications/applications.server";
import { getMarketplaceOffer } from "~/modules/offers/marketplace.server";
import { refreshMarketplaceSignals } from "~/modules/offers/marketplace-signals.server";
import { createTestDatabase } from "#tests/support/database";
import { findPartnership, links } from "#tests/support/factories";
import { clearQueue, runDueJobs } from "#tests/support/jobs";
import { createActiveOffer } from "#tests/support/offers";
import { startRouteHarness } from "#tests/support/route-harness";
import { buildTrackingWorld, startTestTracking, type TrackingWorld } from "#tests/support/tracking";
import { insertClickDay, insertConversion } from "#tests/support/tracking-rows";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());
beforeEach(() => clearQueue(handle, offerIndexing));

/** The job's clock: every row below is placed relative to it. */
const NOW = new Date("2026-06-30T12:00:00Z");
const TODAY = Date.parse("2026-06-30T00:00:00Z");
/** The UTC day `n` days before NOW, as click_daily names it. */
const day = (n: number) => new Date(TODAY - n * DAY_MS).toISOString().slice(0, 10);
/** `n` days before NOW (fractions allowed). */
const ago = (n: number) => new Date(NOW.getTime() - n * DAY_MS);
const hours = (h: number) => h * 3_600_000;

type Row = typeof marketplaceStats.$inferSelect;
async function statsOf(subject: "offer" | "merchant", id: string, windowDays: 30 | 90) {
  const [row] = await handle.db
    .select()
    .from(marketplaceStats)
    .where(and(eq(marketplaceStats.subject, subject), eq(marketplaceStats.subjectId, id), eq(marketplaceStats.windowDays, windowDays)));
  return row;
}
const counts = (r: Row | undefined) =>
  r && { clicks: r.clicks, conversions: r.conversions, decided: r.decided, approved: r.approved, reversed: r.reversed };
const rates = (r: Row | undefined) =>
  r && {
    commissionMinor: r.commissionMinor,
    currency: r.currency,
    epcMinor: r.epcMinor,
    conversionRateBps: r.conversionRateBps,
    approvalRateBps: r.approvalRateBps,
    avgDecisionHours: r.avgDecisionHours,
    reversalRateBps: r.reversalRateBps,
  };
async function queuedOffers() {
  const rows = await selectRows<{ offerId: string }>(
    handle.db,
    sql`select data->>'offerId' as "offerId" from pgboss.job where name = ${offerIndexing.name} and state = 'created'`,
  );
  return rows.map((r) => r.offerId).sort();
}

/** A conversion decided `afterHours` after it was made `createdDaysAgo` days before NOW. */
const decided = (status: "approved" | "rejected" | "reversed", createdDaysAgo: number, afterHours: number, commissionMinor = 1000) => ({
  status,
  commissionMinor,
  createdAt: ago(createdDaysAgo),
  decidedAt: new Date(ago(createdDaysAgo).getTime() + hours(afterHours)),
});

/**
 * Merchant M with offers A (busy) and A2 (thin), merchant N with offer B just under the 30-day
 * thresholds and on them over 90 days. Figures worked out by hand beside each row.
 */
async function marketplace() {
  const db = handle.db;
  const m = await buildTrackingWorld(db);
  const a = m.partnership.id;
  // Non-bot clicks on A: 70 + 45 + 5 = 120 in 30 days; + 180 + 15 = 315 in 90; day 90 is outside both.
  await insertClickDay(db, a, day(0), { clicks: 80, uniqueClicks: 60, botClicks: 10 });
  await insertClickDay(db, a, day(10), { clicks: 45, uniqueClicks: 45, botClicks: 0 });
  await insertClickDay(db, a, day(29), { clicks: 10, uniqueClicks: 10, botClicks: 5 });
  await insertClickDay(db, a, day(30), { clicks: 200, uniqueClicks: 200, botClicks: 20 });
  await insertClickDay(db, a, day(89), { clicks: 15, uniqueClicks: 15, botClicks: 0 });
  await insertClickDay(db, a, day(90), { clicks: 1000, uniqueClicks: 1000, botClicks: 0 });
  // Made in 30 days: 4 pending (3 × 800 + 60, the last at the first instant of the window), 12 approved
  // (1000 each), 2 rejected and 1 reversed (not earning): 19 conversions, 14,460 earned.
  for (let i = 0; i < 3; i++) await insertConversion(db, a, { status: "pending", commissionMinor: 800, createdAt: ago(1) });
  await insertConversion(db, a, { status: "pending", commissionMinor: 60, createdAt: new Date(TODAY - 29 * DAY_MS) });
  for (let i = 0; i < 12; i++) await insertConversion(db, a, decided("approved", 5, 48));
  for (let i = 0; i < 2; i++) await insertConversion(db, a, decided("rejected", 6, 24, 5000));
  await insertConversion(db, a, decided("reversed", 9, 72, 7000));
  // Made 100 days ago, approved 20 days ago: a decision in both windows, a conversion in neither.
  await insertConversion(db, a, decided("approved", 100, 80 * 24, 3000));
  // Made 40 days ago, approved 5 days later: 90 days only.
  for (let i = 0; i < 5; i++) await insertConversion(db, a, decided("approved", 40, 120, 2000));
  // The merchant's test tool: counted nowhere.
  await insertConversion(db, a, { ...decided("approved", 2, 1, 99_999), isTest: true });

  // A2: 50 clicks and 4 rejections, 12 h each, in 30 days: its own figures are all new, the merchant's count them.
  const offerA2 = await createActiveOffer(db, m.merchant.tenant, { visibility: "public", title: "Trail runners" });
  await applyToOffer(db, m.publisher.tenant, { offerId: offerA2.id, message: "", answers: [], acceptTerms: true }, links);
  const a2 = (await findPartnership(db, offerA2.id, m.publisher.organization.id)).id;
  await insertClickDay(db, a2, day(3), { clicks: 50, uniqueClicks: 50, botClicks: 0 });
  for (let i = 0; i < 4; i++) await insertConversion(db, a2, decided("rejected", 10, 12));

  // B: 99 clicks and 9 decisions in 30 days (under both thresholds); 100 and 10 over 90 days.
  const n = await buildTrackingWorld(db);
  const b = n.partnership.id;
  await insertClickDay(db, b, day(3), { clicks: 99, uniqueClicks: 99, botClicks: 0 });
  await insertClickDay(db, b, day(50), { clicks: 1, uniqueClicks: 1, botClicks: 0 });
  for (let i = 0; i < 9; i++) await insertConversion(db, b, decided("approved", 8, 24, 500));
  await insertConversion(db, b, decided("rejected", 70, 240, 500));

  // An offer nobody has clicked or converted on: no rows, all "new".
  const quiet = await createActiveOffer(db, n.merchant.tenant, { visibility: "public", title: "Quiet offer" });
  return { m, n, offerA: m.offer, offerA2, offerB: n.offer, quiet, a, a2, b };
}

describe("the marketplace signals job", () => {
  let world: Awaited<ReturnType<typeof marketplace>>;
  let m: TrackingWorld;
  beforeAll(async () => {
    world = await marketplace();
    m = world.m;
  });

  it("computes each offer's counts and rates over 30 and 90 days, rounding half-up in integers", async () => {
    const first = await refreshMarketplaceSignals(handle.db, NOW);
    expect(counts(await statsOf("offer", world.offerA.id, 30))).toEqual({
      clicks: 120,
      conversions: 19,
      decided: 16,
      approved: 14,
      reversed: 1,
    });
    expect(rates(await statsOf("offer", world.offerA.id, 30))).toEqual({
      commissionMinor: 14_460,
      currency: "USD",
      epcMinor: 121, // 14,460 / 120 = 120.5
      conversionRateBps: 1583, // 19 / 120 = 15.833 %
      approvalRateBps: 8750, // 14 / 16
      avgDecisionHours: 164, // (12 × 48 + 2 × 24 + 72 + 1,920) / 16 = 163.5
      reversalRateBps: 714, // 1 / 14 = 7.142 %
    });
    expect(counts(await statsOf("offer", world.offerA.id, 90))).toEqual({
      clicks: 315,
      conversions: 24,
      decided: 21,
      approved: 19,
      reversed: 1,
    });
    expect(rates(await statsOf("offer", world.offerA.id, 90))).toEqual({
      commissionMinor: 24_460,
      currency: "USD",
      epcMinor: 78, // 24,460 / 315 = 77.65
      conversionRateBps: 762, // 24 / 315
      approvalRateBps: 9048, // 19 / 21
      avgDecisionHours: 153, // 3,216 / 21 = 153.14
      reversalRateBps: 526, // 1 / 19
    });
    // From no rows: A's figures and merchant M's are new to the documents (A and A2); B's and N's are still null.
    expect(first).toEqual({ offers: 1, merchants: 1, reindexed: 2 });
  });

  it("states a figure only from its threshold on: 100 clicks, 10 decided, 10 approved", async () => {
    expect(rates(await statsOf("offer", world.offerB.id, 30))).toEqual({
      commissionMinor: 4500,
      currency: "USD",
      epcMinor: null,
      conversionRateBps: null,
      approvalRateBps: null,
      avgDecisionHours: null,
      reversalRateBps: null,
    });
    expect(rates(await statsOf("offer", world.offerB.id, 90))).toEqual({
      commissionMinor: 4500,
      currency: "USD",
      epcMinor: 45, // 4,500 / 100
      conversionRateBps: 1000, // 10 / 100
      approvalRateBps: 9000, // 9 / 10
      avgDecisionHours: 46, // (9 × 24 + 240) / 10 = 45.6
      reversalRateBps: null, // 9 approved
    });
    const a2 = rates(await statsOf("offer", world.offerA2.id, 30));
    expect(a2).toMatchObject({
      epcMinor: null,
      conversionRateBps: null,
      approvalRateBps: null,
      avgDecisionHours: null,
      reversalRateBps: null,
    });
    expect(await statsOf("offer", world.quiet.id, 30)).toBeUndefined();
  });

  it("computes the merchant's approval, days to decision and reversals across its offers, without EPC", async () => {
    expect(counts(await statsOf("merchant", m.merchant.organization.id, 30))).toEqual({
      clicks: 170,
      conversions: 23,
      decided: 20,
      approved: 14,
      reversed: 1,
    });
    expect(rates(await statsOf("merchant", m.merchant.organization.id, 30))).toEqual({
      commissionMinor: 0,
      currency: null,
      epcMinor: null,
      conversionRateBps: 1353, // 23 / 170
      approvalRateBps: 7000, // 14 / 20
      avgDecisionHours: 133, // (2,616 + 48) / 20 = 133.2
      reversalRateBps: 714,
    });
    expect(rates(await statsOf("merchant", m.merchant.organization.id, 90))).toMatchObject({
      approvalRateBps: 7600, // 19 / 25
      avgDecisionHours: 131, // (3,216 + 48) / 25 = 130.56
      reversalRateBps: 526,
    });
  });

  it("puts the 30-day figures in the offer's search document, sortable by EPC", async () => {
    const { documents } = await buildOfferDocuments(handle.db, [world.offerA.id, world.offerA2.id, world.quiet.id]);
    const doc = (id: string) => documents.find((d) => d.id === id)!;
    expect(doc(world.offerA.id)).toMatchObject({
      epcMinor: 121,
      conversionRateBps: 1583,
      merchantApprovalRateBps: 7000,
      merchantAvgValidationDays: 5.5, // 133 h
      merchantReversalRateBps: 714,
    });
    expect(doc(world.offerA2.id)).toMatchObject({
      epcMinor: null,
      conversionRateBps: null,
      merchantApprovalRateBps: 7000,
      merchantAvgValidationDays: 5.5,
      merchantReversalRateBps: 714,
    });
    expect(doc(world.quiet.id)).toMatchObject({ epcMinor: null, merchantApprovalRateBps: null, merchantAvgValidationDays: null });

    const engine = new PostgresOfferSearch(handle.db);
    await engine.clear();
    await queueOfferIndexing(handle.db, [world.offerA.id, world.offerA2.id, world.offerB.id, world.quiet.id]);
    await runDueJobs(handle, offerIndexing, indexOffers(handle.db, engine));
    const result = await engine.search({ text: "", filters: emptyFilters(), sort: "epc", page: 1, perPage: 10 });
    expect(result.hits[0]).toMatchObject({ id: world.offerA.id, epcMinor: 121, merchantAvgValidationDays: 5.5 });
  });

  it("shows the offer page both windows: the offer's EPC and rate, the merchant's approval, days and reversals", async () => {
    const page = await getMarketplaceOffer(handle.db, m.publisher.tenant, world.offerA.id);
    expect(page.signals).toEqual([
      {
        days: 30,
        figures: { epcMinor: 121, conversionRateBps: 1583, approvalRateBps: 7000, avgDecisionDays: 5.5, reversalRateBps: 714 },
      },
      {
        days: 90,
        figures: { epcMinor: 78, conversionRateBps: 762, approvalRateBps: 7600, avgDecisionDays: 5.5, reversalRateBps: 526 },
      },
    ]);
  });

  it("shows the figures on the marketplace cards and the offer page, and the threshold where one is new", async () => {
    const harness = await startRouteHarness();
    const tracking = await startTestTracking(handle);
    try {
      harness.attachTracking(tracking);
      const publisher = m.publisher.owner;
      const page = (url: string) =>
        harness.send(handle.db, { name: "publisher", sessionToken: publisher.sessionToken }, { method: "GET", url });
      const list = await page("/app/marketplace?sort=epc");
      expect(list.status).toBe(200);
      // By EPC: A first, then the offers with none, newest first (the quiet one).
      const cardA = list.body.slice(list.body.indexOf(`/app/marketplace/${world.offerA.id}`), list.body.indexOf(world.quiet.title));
      for (const text of ["Last 30 days", "EPC", "$1.21", "15.83%", "70%", "5.5 days", "7.14%"]) expect(cardA).toContain(text);
      expect(list.body).toContain("Fewer than 100 clicks in 30 days");
      const quietCard = list.body.slice(list.body.indexOf(world.quiet.title));
      expect(quietCard.slice(0, quietCard.indexOf("</section>"))).toContain("Fewer than 100 clicks and 10 decided conversions in 30 days");

      const offerPage = await page(`/app/marketplace/${world.offerB.id}`);
      expect(offerPage.status).toBe(200);
      for (const text of ["Last 30 days", "Last 90 days", "$0.45", "10%", "90%", "1.9 days"]) expect(offerPage.body).toContain(text);
      for (const text of ["Fewer than 100 clicks in 30 days", "Fewer than 10 decided conversions in 30 days"])
        expect(offerPage.body).toContain(text);
      expect(offerPage.body).toContain("Fewer than 10 approved conversions in 90 days");
    } finally {
      await tracking.close();
      await harness.close();
    }
  });

  it("re-indexes on a rerun only the offers whose document figures changed", async () => {
    const db = handle.db;
    expect(await refreshMarketplaceSignals(db, NOW)).toEqual({ offers: 0, merchants: 0, reindexed: 0 });
    expect(await queuedOffers()).toEqual([]);

    // Clicks 60 days ago change only A's 90-day figures: rows update, no document changes.
    await insertClickDay(db, world.a, day(60), { clicks: 85, uniqueClicks: 85, botClicks: 0 });
    expect(await refreshMarketplaceSignals(db, NOW)).toEqual({ offers: 0, merchants: 0, reindexed: 0 });
    expect((await statsOf("offer", world.offerA.id, 90))?.clicks).toBe(400);

    // 80 more clicks today: A's EPC and conversion rate change, the merchant's figures do not.
    await db.execute(sql`update click_daily set clicks = clicks + 80 where partnership_id = ${world.a} and day = ${day(0)}`);
    expect(await refreshMarketplaceSignals(db, NOW)).toEqual({ offers: 1, merchants: 0, reindexed: 1 });
    expect(await queuedOffers()).toEqual([world.offerA.id]);
    expect(await statsOf("offer", world.offerA.id, 30)).toMatchObject({ clicks: 200, epcMinor: 72, conversionRateBps: 950 });
    await clearQueue(handle, offerIndexing);

    // A merchant-level change (one more rejection on A2) re-indexes every offer of the merchant, and no other.
    await insertConversion(db, world.a2, decided("rejected", 4, 12));
    expect(await refreshMarketplaceSignals(db, NOW)).toEqual({ offers: 0, merchants: 1, reindexed: 2 });
    expect(await queuedOffers()).toEqual([world.offerA.id, world.offerA2.id].sort());
    expect(await statsOf("merchant", m.merchant.organization.id, 30)).toMatchObject({ decided: 21, approvalRateBps: 6667 });
  });

  it("moves a merchant's days to decision without a re-index while they read the same to a tenth of a day", async () => {
    const db = handle.db;
    await clearQueue(handle, offerIndexing);
    const before = (await statsOf("merchant", m.merchant.organization.id, 30))!;
    // The A2 rejection just added, decided after 24 h instead of 12: 2,676 h / 21 = 127 → 2,688 h / 21 = 128, 5.3 days both.
    await db.execute(sql`update conversions set decided_at = created_at + interval '24 hours'
      where id = (select id from conversions where offer_id = ${world.offerA2.id} order by created_at desc, id limit 1)`);
    // And 10 more clicks on A2 (still under 100): the merchant's conversion rate moves, which no document carries.
    await db.execute(sql`update click_daily set clicks = clicks + 10 where partnership_id = ${world.a2} and day = ${day(3)}`);
    const result = await refreshMarketplaceSignals(db, NOW);
    const after = (await statsOf("merchant", m.merchant.organization.id, 30))!;
    expect([before.avgDecisionHours, after.avgDecisionHours]).toEqual([127, 128]);
    expect(after.conversionRateBps).not.toBe(before.conversionRateBps);
    expect(result).toEqual({ offers: 0, merchants: 0, reindexed: 0 });
  });

  it("deletes the rows of subjects with nothing in 90 days, re-indexing the offers that had figures", async () => {
    const later = new Date(NOW.getTime() + 200 * DAY_MS);
    const result = await refreshMarketplaceSignals(handle.db, later);
    expect(await handle.db.select().from(marketplaceStats)).toEqual([]);
    expect(result.reindexed).toBe(2);
    expect(await queuedOffers()).toEqual([world.offerA.id, world.offerA2.id].sort());
  });

  it("leaves test conversions out even when they are the only ones", async () => {
    const db = handle.db;
    await db.update(conversions).set({ isTest: true });
    await refreshMarketplaceSignals(db, NOW);
    expect(counts(await statsOf("offer", world.offerA.id, 30))).toEqual({
      clicks: 200,
      conversions: 0,
      decided: 0,
      approved: 0,
      reversed: 0,
    });
    expect(await statsOf("merchant", m.merchant.organization.id, 30)).toMatchObject({ conversions: 0, decided: 0, approvalRateBps: null });
  });
});
