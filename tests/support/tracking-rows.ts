import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { clickDaily, conversions, offers, partnerships, trackingLinks, type FeeSnapshot, type TermsSnapshot } from "#db/schema";

type ConversionRow = typeof conversions.$inferInsert;

/** A partnership with the ids a conversion or a click row carries: its link (made by the trigger), offer and both sides. */
export async function partnershipRefs(db: Database, partnershipId: string) {
  const [row] = await db
    .select({ partnership: partnerships, linkId: trackingLinks.id, code: trackingLinks.code })
    .from(partnerships)
    .innerJoin(trackingLinks, eq(trackingLinks.partnershipId, partnerships.id))
    .where(eq(partnerships.id, partnershipId));
  if (!row) throw new Error(`No partnership ${partnershipId}`);
  const [offer] = await db.select().from(offers).where(eq(offers.id, row.partnership.offerId));
  return {
    partnershipId,
    offerId: row.partnership.offerId,
    publisherId: row.partnership.publisherId,
    merchantId: offer!.merchantId,
    currency: offer!.currency,
    linkId: row.linkId,
    code: row.code,
  };
}

export const termsSnapshot: TermsSnapshot = {
  source: "offer",
  term: { event: "sale", type: "cps", flatMinor: null, bps: 800, tiers: [{ minConversions: 50, flatMinor: null, bps: 1000 }] },
  tierIndex: null,
  monthConversionsBefore: 3,
  flatMinor: 0,
  bps: 800,
};
export const feeSnapshot: FeeSnapshot = { source: "network", bps: 2000, minimumMinor: 50 };

/**
 * A priced conversion written as the engine would (the engine is another module's; tests of the
 * pages need rows): $100.00 sale, $8.00 commission, $1.60 fee, $9.60 merchant cost unless overridden.
 */
export async function insertConversion(db: Database, partnershipId: string, overrides: Partial<ConversionRow> = {}) {
  const refs = await partnershipRefs(db, partnershipId);
  const [row] = await db
    .insert(conversions)
    .values({
      merchantId: refs.merchantId,
      offerId: refs.offerId,
      partnershipId,
      publisherId: refs.publisherId,
      attributedBy: "click",
      linkId: refs.linkId,
      clickId: `click-${randomUUID()}`,
      clickedAt: new Date(Date.now() - 3_600_000),
      orderId: `order-${randomUUID().slice(0, 8)}`,
      event: "sale",
      status: "pending",
      saleAmountMinor: 10_000,
      commissionMinor: 800,
      feeMinor: 160,
      // Cost is commission + fee (a check constraint): derived from overridden parts unless given.
      merchantCostMinor: (overrides.commissionMinor ?? 800) + (overrides.feeMinor ?? 160),
      currency: refs.currency,
      termsSnapshot,
      feeSnapshot,
      clickCountry: "DE",
      clickUserAgent: "Mozilla/5.0 (test)",
      clickFound: true,
      requestFingerprint: randomUUID(),
      validationEndsAt: new Date(Date.now() + 30 * 86_400_000),
      // Already through fraud screening, as a conversion a page shows usually is; screening's tests pass null.
      screenedAt: new Date(),
      ...overrides,
    })
    .returning();
  return row!;
}

/** A day of click counts on the partnership's link, as the click recorder keeps them. */
export async function insertClickDay(
  db: Database,
  partnershipId: string,
  day: string,
  counts: { clicks: number; uniqueClicks: number; botClicks: number },
) {
  const refs = await partnershipRefs(db, partnershipId);
  await db.insert(clickDaily).values({
    day,
    partnershipId,
    linkId: refs.linkId,
    offerId: refs.offerId,
    publisherId: refs.publisherId,
    merchantId: refs.merchantId,
    ...counts,
  });
}

/** A UTC day `n` days before today, as click_daily names it. */
export function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}
