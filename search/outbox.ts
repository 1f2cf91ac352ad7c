import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { offers, searchOutbox } from "#db/schema";

/** Call in the transaction that changes the offers: the worker then re-indexes or removes each. */
export async function queueOfferIndexing(db: Database, offerIds: string[]) {
  if (offerIds.length === 0) return;
  await db.insert(searchOutbox).values(offerIds.map((offerId) => ({ offerId })));
}

/** Every offer of a merchant, for changes to the merchant itself (status, name). */
export async function queueMerchantOffers(db: Database, merchantId: string) {
  await db.execute(sql`insert into ${searchOutbox} (offer_id) select id from ${offers} where merchant_id = ${merchantId}`);
}
