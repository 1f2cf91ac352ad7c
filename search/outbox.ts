import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueJobs } from "#db/jobs/enqueue";
import { offerIndexing } from "#db/jobs/queues";
import { offerNiches, offers } from "#db/schema";

/** Call in the transaction that changes the offers: one `offer-indexing` job re-indexes or removes each. */
export async function queueOfferIndexing(db: Database, offerIds: string[]) {
  await enqueueJobs(
    db,
    offerIndexing,
    [...new Set(offerIds)].map((offerId) => ({ offerId })),
  );
}

/** Every offer of a merchant, for changes to the merchant itself (status, name). */
export async function queueMerchantOffers(db: Database, merchantId: string) {
  const rows = await db.select({ id: offers.id }).from(offers).where(eq(offers.merchantId, merchantId));
  await queueOfferIndexing(
    db,
    rows.map((r) => r.id),
  );
}

/** Every offer in a niche, for changes to the niche (its name is part of each document). */
export async function queueNicheOffers(db: Database, nicheSlug: string) {
  const rows = await db.select({ id: offerNiches.offerId }).from(offerNiches).where(eq(offerNiches.nicheSlug, nicheSlug));
  await queueOfferIndexing(
    db,
    rows.map((r) => r.id),
  );
}
