import { asc, gt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import type { JobData, offerIndexing } from "#db/jobs/queues";
import { eachJob, type JobHandler } from "#db/jobs/runner";
import { offers } from "#db/schema";
import { buildOfferDocuments } from "./documents";
import type { OfferSearch } from "./types";

type OfferJob = JobData<typeof offerIndexing>;

/**
 * The `offer-indexing` handler: rebuilds the batch's documents (or removes the offers that are no
 * longer searchable) in one engine call; if that fails, offer by offer, so one bad offer fails only
 * its own job and the rest of the batch is indexed.
 */
export function indexOffers(db: Database, engine: OfferSearch): JobHandler<OfferJob> {
  return async (jobs) => {
    try {
      await applyOffers(db, engine, [...new Set(jobs.map((j) => j.data.offerId))]);
      return [];
    } catch (error) {
      if (jobs.length === 1) return [{ id: jobs[0]!.id, error }];
      return eachJob(jobs, (job) => applyOffers(db, engine, [job.data.offerId]));
    }
  };
}

async function applyOffers(db: Database, engine: OfferSearch, offerIds: string[]) {
  const { documents, removed } = await buildOfferDocuments(db, offerIds);
  await engine.index(documents);
  await engine.remove(removed);
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
