import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { changeConversions } from "./lifecycle.server";

/** Conversions approved per transaction: short enough that clicks and postbacks never wait long on it. */
export const AUTO_APPROVAL_BATCH = 500;

const job = { kind: "job", label: "Auto-approval at the end of the validation period" } as const;

/** One batch's transaction, as a caller that watches the job (the benchmark) sees it. */
export type ApprovalBatch = { seen: number; approved: number; ms: number };

/**
 * Approves every pending conversion whose validation period ended by `now`, that fraud screening has
 * seen and that is not on hold: a batch per transaction (rows another transaction holds are skipped
 * and left for the next run), yielding between batches so the process keeps serving.
 */
export async function approveDueConversions(
  db: Database,
  now: Date,
  batchSize = AUTO_APPROVAL_BATCH,
  onBatch?: (batch: ApprovalBatch) => void,
) {
  let approved = 0;
  for (;;) {
    const started = performance.now();
    const count = await db.transaction(async (tx) => {
      const due = await selectRows<{ id: string }>(
        tx,
        sql`select id from conversions
          where status = 'pending' and hold <> 'held' and screened_at is not null and validation_ends_at <= ${now.toISOString()}::timestamptz
          order by validation_ends_at
          limit ${batchSize}
          for update skip locked`,
      );
      const outcomes = await changeConversions(
        tx,
        sql`true`,
        job,
        due.map((d) => d.id),
        { action: "approve" },
      );
      return { seen: due.length, changed: outcomes.filter((o) => o.result === "changed").length };
    });
    approved += count.changed;
    onBatch?.({ seen: count.seen, approved: count.changed, ms: performance.now() - started });
    if (count.seen < batchSize) return { approved };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
