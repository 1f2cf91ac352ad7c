import { asc, gt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import type { JobData, offerIndexing } from "#db/jobs/queues";
import { eachJob, type JobHandler } from "#db/jobs/runner";
import { offers } from "#db/schema";
import { buildOfferDocuments } from "./documents";
import { noteRebuildChanges, openRebuildLog, requeueRebuildChanges } from "./rebuild-log";
import type { OfferIndexRebuild, OfferSearch } from "./types";

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
  await noteRebuildChanges(db, offerIds);
  const { documents, removed } = await buildOfferDocuments(db, offerIds);
  await engine.index(documents);
  await engine.remove(removed);
}

/**
 * Rebuilds the whole index beside the live one, which keeps answering searches, then swaps it in.
 * Indexing jobs keep writing the live index meanwhile and note their offers in the rebuild log;
 * after the swap each noted offer gets a fresh job, so no change made during the rebuild is lost.
 * `onProgress` runs after each batch; a promise it returns is awaited.
 */
export async function reindexAllOffers(
  db: Database,
  engine: OfferSearch,
  onProgress: (done: number, total: number) => unknown,
  batchSize = 1000,
) {
  await engine.setup();
  await openRebuildLog(db);
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(offers);
  const total = row?.n ?? 0;
  let done = 0;
  let rebuild: OfferIndexRebuild | undefined;
  try {
    rebuild = await engine.startRebuild();
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const batch = await db.select({ id: offers.id }).from(offers).where(gt(offers.id, after)).orderBy(asc(offers.id)).limit(batchSize);
      if (batch.length === 0) break;
      const { documents } = await buildOfferDocuments(
        db,
        batch.map((b) => b.id),
      );
      await rebuild.index(documents);
      done += batch.length;
      after = batch.at(-1)!.id;
      await onProgress(done, total);
    }
    await rebuild.swap();
  } catch (error) {
    // The failure may come after the swap (dropping the old index): re-queuing is harmless either way,
    // and comes first so a failing engine cannot skip it.
    await requeueRebuildChanges(db);
    await rebuild?.abandon();
    throw error;
  }
  const requeued = await requeueRebuildChanges(db);
  return { total, done, requeued };
}
