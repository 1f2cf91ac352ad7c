import { DrizzleQueryError } from "drizzle-orm/errors";
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../client";
import { connectionExecutor, drizzleExecutor, type SqlExecutor } from "./executors";
import type { JobQueue } from "./queues";

export type Job<Data> = PgBoss.JobWithMetadata<Data>;

/** A job the handler could not do, and why; every other job of the batch counts as done. */
export type JobFailure = { id: string; error: unknown };

/** Does a batch of jobs; returns the ones that failed, so one bad job never fails the rest. */
export type JobHandler<Data> = (jobs: Job<Data>[]) => Promise<JobFailure[]>;

export type JobRunner = {
  /** Starts taking jobs of the queue. */
  work<Data>(queue: JobQueue<Data>, handler: JobHandler<Data>): Promise<void>;
  /** Queues a job on a cron schedule (UTC), once across all processes. */
  schedule<Data extends object>(queue: JobQueue<Data>, cron: string, data: Data): Promise<void>;
  /** Stops taking jobs, lets the batches in flight finish (up to 8 s), then stops. */
  stop(): Promise<void>;
};

/**
 * pg-boss on the process's own database connection: workers, schedules and its maintenance (expiry
 * of stuck jobs, archiving). The schema and queues must already exist (the migrations install them).
 */
export async function startJobRunner(handle: DatabaseHandle, onError: (error: unknown) => void): Promise<JobRunner> {
  const inFlight = new Set<Promise<unknown>>();
  const executor = tracked(ignoringStrayCompletion(connectionExecutor(handle, onError)), inFlight);
  const boss = new PgBoss({ db: executor, migrate: false, archiveFailedAfterSeconds: FAILED_KEPT_SECONDS });
  boss.on("error", onError);
  await boss.start();
  const completions = drizzleExecutor(handle.db);

  return {
    async work<Data>(queue: JobQueue<Data>, handler: JobHandler<Data>) {
      const workOptions = { batchSize: queue.batchSize, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true as const };
      await boss.work<Data>(queue.name, workOptions, (jobs) =>
        runBatch(boss, queue, handler, jobs, completions).catch((error: unknown) => {
          // Thrown on, so pg-boss fails (and retries) the jobs of the batch still active instead of completing them.
          onError(error);
          throw error;
        }),
      );
    },
    async schedule(queue, cron, data) {
      await boss.schedule(queue.name, cron, data, { tz: "UTC" });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      await Promise.allSettled(inFlight);
    },
  };
}

/** pg-boss's lowest: a queued email or offer change is picked up within about half a second. */
const POLLING_INTERVAL_SECONDS = 0.5;

/** Within the server's 10 s shutdown deadline; a batch still running then is failed and retried later. */
const STOP_TIMEOUT_MS = 8000;

/** Failed jobs stay in the job table, where staff see and retry them, for 30 days. */
const FAILED_KEPT_SECONDS = 30 * 24 * 3600;

/**
 * Runs the handler on fetched jobs, then fails the jobs that threw one by one, each with its own
 * error, and completes the rest (a handler that throws fails the whole batch). Failures go first: if
 * a write here fails, the jobs still active are retried, never completed by mistake.
 */
export async function runBatch<Data>(boss: PgBoss, queue: JobQueue<Data>, handler: JobHandler<Data>, jobs: Job<Data>[], db: SqlExecutor) {
  const failures = await handler(jobs).catch((error: unknown) => jobs.map((job) => ({ id: job.id, error })));
  const failed = new Set(failures.map((f) => f.id));
  for (const { id, error } of failures) await boss.fail(queue.name, id, { message: errorMessage(error) }, { db });
  const done = jobs.map((j) => j.id).filter((id) => !failed.has(id));
  if (done.length > 0) await boss.complete(queue.name, done, { db });
}

/** Runs each job of a batch on its own and collects the ones that threw. */
export async function eachJob<Data>(jobs: Job<Data>[], run: (job: Job<Data>) => Promise<void>): Promise<JobFailure[]> {
  const failures: JobFailure[] = [];
  for (const job of jobs) {
    try {
      await run(job);
    } catch (error) {
      failures.push({ id: job.id, error });
    }
  }
  return failures;
}

/** An error as staff may read it: a failed query says what PostgreSQL said, never the values it was sent. */
export function errorMessage(error: unknown) {
  if (error instanceof DrizzleQueryError) return error.cause instanceof Error ? error.cause.message : "A database query failed";
  return error instanceof Error ? error.message : String(error);
}

/** Keeps the promise of every statement in flight, so stop() can wait for the last of them. */
function tracked(executor: SqlExecutor, inFlight: Set<Promise<unknown>>): SqlExecutor {
  return {
    executeSql(text, values) {
      const running = executor.executeSql(text, values);
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running)).catch(() => {});
      return running;
    },
  };
}

/**
 * After each batch pg-boss completes the whole batch again without awaiting it (our handler has
 * already completed or failed each job, so it changes nothing). Its error would be an unhandled
 * rejection that ends the process; the executor has reported it already.
 */
function ignoringStrayCompletion(executor: SqlExecutor): SqlExecutor {
  return {
    async executeSql(text, values) {
      try {
        return await executor.executeSql(text, values);
      } catch (error) {
        if (!isBatchCompletion(text)) throw error;
        return { rows: [{ count: 0 }] };
      }
    },
  };
}

function isBatchCompletion(text: string) {
  return text.includes("state = 'completed'") && text.includes("UNNEST($2::uuid[])");
}
