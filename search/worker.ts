import { asc, gt, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { offers, searchOutbox } from "#db/schema";
import { buildOfferDocuments } from "./documents";
import type { OfferSearch } from "./types";

const LEASE_MS = 60_000;

/** 1 s, 2 s, 4 s … capped at five minutes: the index must converge, so it never gives up. */
export function searchRetryDelayMs(attempts: number) {
  return Math.min(1000 * 2 ** Math.max(attempts - 1, 0), 300_000);
}

/**
 * Claims due outbox rows, rebuilds the documents of their offers (or removes the offers that are no
 * longer searchable) and deletes the rows once the engine has them; on failure the rows wait and
 * retry.
 */
export async function applySearchOutbox(db: Database, engine: OfferSearch, batchSize = 500) {
  const now = new Date();
  const due = db
    .select({ id: searchOutbox.id })
    .from(searchOutbox)
    .where(lte(searchOutbox.nextAttemptAt, now))
    .orderBy(asc(searchOutbox.id))
    .limit(batchSize)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(searchOutbox)
    .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: sql`${searchOutbox.attempts} + 1` })
    .where(inArray(searchOutbox.id, due))
    .returning();
  if (claimed.length === 0) return { applied: 0, failed: 0 };
  const offerIds = [...new Set(claimed.map((c) => c.offerId))];
  const ids = claimed.map((c) => c.id);
  try {
    const { documents, removed } = await buildOfferDocuments(db, offerIds);
    await engine.index(documents);
    await engine.remove(removed);
    await db.delete(searchOutbox).where(inArray(searchOutbox.id, ids));
    return { applied: offerIds.length, failed: 0 };
  } catch (error) {
    const attempts = Math.max(...claimed.map((c) => c.attempts));
    await db
      .update(searchOutbox)
      .set({
        lastError: error instanceof Error ? error.message : String(error),
        nextAttemptAt: new Date(Date.now() + searchRetryDelayMs(attempts)),
      })
      .where(inArray(searchOutbox.id, ids));
    return { applied: 0, failed: offerIds.length };
  }
}

/** Rebuilds the whole index in batches, reporting progress as it goes. */
export async function reindexAllOffers(
  db: Database,
  engine: OfferSearch,
  onProgress: (done: number, total: number) => void,
  batchSize = 1000,
) {
  await engine.setup();
  await engine.clear();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(offers);
  const total = row?.n ?? 0;
  let done = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db.select({ id: offers.id }).from(offers).where(gt(offers.id, after)).orderBy(asc(offers.id)).limit(batchSize);
    if (batch.length === 0) break;
    const { documents } = await buildOfferDocuments(
      db,
      batch.map((b) => b.id),
    );
    await engine.index(documents);
    done += batch.length;
    after = batch.at(-1)!.id;
    onProgress(done, total);
  }
  return { total, done };
}
