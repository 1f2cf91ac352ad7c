import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "#db/client";
import { connectionExecutor, drizzleExecutor } from "#db/jobs/executors";
import type { JobQueue } from "#db/jobs/queues";
import { runBatch, type JobHandler } from "#db/jobs/runner";

/**
 * Runs the queue's due jobs through the handler, batch by batch as a worker would, until none is
 * due; returns how many ran. A SQL error fails the test rather than looking like an empty queue.
 */
export async function runDueJobs<Data>(handle: DatabaseHandle, queue: JobQueue<Data>, handler: JobHandler<Data>) {
  const errors: unknown[] = [];
  const boss = new PgBoss({ db: connectionExecutor(handle, (error) => errors.push(error)) });
  let ran = 0;
  for (;;) {
    const jobs = await boss.fetch<Data>(queue.name, { batchSize: queue.batchSize, includeMetadata: true });
    if (errors.length > 0) throw errors[0];
    if (jobs.length === 0) return ran;
    await runBatch(boss, queue, handler, jobs, drizzleExecutor(handle.db));
    ran += jobs.length;
  }
}

/** Makes the queue's waiting jobs (retries after their backoff, jobs queued to start later) due now. */
export async function makeWaitingJobsDue(handle: DatabaseHandle, queue: JobQueue<unknown>) {
  await handle.db.execute(
    sql`update pgboss.job set start_after = now() where name = ${queue.name} and state in ('retry', 'created') and start_after > now()`,
  );
}

/** Removes the queue's jobs, so a test starts from an empty queue. */
export async function clearQueue(handle: DatabaseHandle, queue: JobQueue<unknown>) {
  await handle.db.execute(sql`delete from pgboss.job where name = ${queue.name}`);
}
