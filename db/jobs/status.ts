import { sql } from "drizzle-orm";
import type { Database } from "../client";
import { selectRows } from "./executors";
import { jobQueues } from "./queues";

/** pg-boss's own queues (its cron scheduler) are not the app's work. */
const appJobs = sql`name not like '\\_\\_pgboss\\_\\_%'`;

/** Per queue: jobs waiting (new or due for a retry), of those retrying after an error, running, and failed for good. */
export async function countJobsByQueue(db: Database) {
  return selectRows<{ queue: string; waiting: number; retrying: number; running: number; failed: number }>(
    db,
    sql`select name as queue,
          (count(*) filter (where state < 'active'))::int as waiting,
          (count(*) filter (where state = 'retry'))::int as retrying,
          (count(*) filter (where state = 'active'))::int as running,
          (count(*) filter (where state = 'failed'))::int as failed
        from pgboss.job where ${appJobs} group by name order by name`,
  );
}

/**
 * Jobs that used up their retries, most recent failure first, with what each one was given (its
 * queue's hidden fields blanked).
 */
export async function listFailedJobs(db: Database, limit: number) {
  const rows = await selectRows<{
    id: string;
    queue: string;
    attempts: number;
    lastError: string | null;
    failedAt: number;
    data: unknown;
  }>(
    db,
    sql`select id::text, name as queue, retry_count + 1 as attempts, output->>'message' as "lastError",
          (extract(epoch from completed_on) * 1000)::float8 as "failedAt", data
        from pgboss.job where state = 'failed' and ${appJobs}
        order by completed_on desc limit ${limit}`,
  );
  return rows.map((r) => ({ ...r, failedAt: new Date(r.failedAt), data: JSON.stringify(withoutHiddenFields(r.queue, r.data)) }));
}

const hiddenFields = new Map(jobQueues.map((queue) => [queue.name, queue.hiddenFields ?? []]));

function withoutHiddenFields(queue: string, data: unknown) {
  const hidden = hiddenFields.get(queue) ?? [];
  if (hidden.length === 0 || typeof data !== "object" || data === null) return data;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, hidden.includes(key) ? "(hidden)" : value]));
}
