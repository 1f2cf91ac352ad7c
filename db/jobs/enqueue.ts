import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Database } from "../client";
import { drizzleExecutor } from "./executors";
import type { JobQueue } from "./queues";

/**
 * Builds pg-boss's SQL for jobs written through a caller's database or transaction; it never
 * connects on its own.
 */
const writer = new PgBoss({
  db: { executeSql: () => Promise.reject(new Error("Jobs are written through a database or transaction (the { db } option).")) },
});

/**
 * Queues a job in the caller's transaction (or outside one when given the database): it exists only
 * if that transaction commits. `startAfterSeconds` holds it back that long.
 */
export async function enqueueJob<Data extends object>(
  db: Database,
  queue: JobQueue<Data>,
  data: Data,
  options: { startAfterSeconds?: number } = {},
) {
  // As a time, not seconds: postgres.js types pg-boss's start_after parameters as a timestamp, and "30" is not one.
  const startAfter = options.startAfterSeconds === undefined ? undefined : new Date(Date.now() + options.startAfterSeconds * 1000);
  const id = await writer.send(queue.name, data, { db: drizzleExecutor(db), startAfter });
  if (!id) throw new Error(`The job queue ${queue.name} does not exist: run the migrations.`);
  return id;
}

/** Many jobs of one queue in one statement, in the caller's transaction. */
export async function enqueueJobs<Data extends object>(db: Database, queue: JobQueue<Data>, items: Data[]) {
  if (items.length === 0) return;
  await writer.insert(
    items.map((data) => ({ name: queue.name, data })),
    { db: drizzleExecutor(db) },
  );
}

/** Puts a failed job back in its queue for one more attempt; false when it is not (or no longer) failed. */
export async function retryFailedJob(db: Database, queueName: string, id: string) {
  const result = (await writer.retry(queueName, id, { db: drizzleExecutor(db) })) as unknown as { affected: number };
  return result.affected === 1;
}

/** Drops the queue's hidden fields from a job's stored data once it has used them, so a secret is not kept or archived. */
export async function forgetHiddenFields(db: Database, queue: JobQueue<unknown>, id: string) {
  const fields = queue.hiddenFields ?? [];
  if (fields.length === 0) return;
  const data = fields.reduce((expression, field) => sql`(${expression} - ${field}::text)`, sql`data`);
  await db.execute(sql`update pgboss.job set data = ${data} where name = ${queue.name} and id = ${id}`);
}
