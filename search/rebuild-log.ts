import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { queueOfferIndexing } from "./outbox";

/**
 * Offers whose indexing jobs ran while a full rebuild was under way. The rebuild reads each offer
 * once, so a change indexed after its batch was read would go away with the old index at the swap.
 * A job notes its offers here before it writes the live index; after the swap the rebuild queues a
 * fresh job for each noted offer. The table exists only while a rebuild runs.
 */
const LOG = { schema: "search_rebuild_log", table: "changed_offers" };
const LOG_SCHEMA = sql.identifier(LOG.schema);
const LOG_TABLE = sql`${LOG_SCHEMA}.${sql.identifier(LOG.table)}`;

/** Starts the log, dropping a crashed rebuild's one (its jobs wrote the live index, which stayed live). */
export async function openRebuildLog(db: Database) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`drop schema if exists ${LOG_SCHEMA} cascade`);
    await tx.execute(sql`create schema ${LOG_SCHEMA}`);
    await tx.execute(sql`create table ${LOG_TABLE} (offer_id uuid primary key)`);
  });
}

/**
 * Call before writing the live index. If the rebuild closes the log between the check and the
 * insert, the insert fails and the job retries after the swap, against the new live index.
 */
export async function noteRebuildChanges(db: Database, offerIds: string[]) {
  const [log] = await selectRows<{ open: boolean }>(
    db,
    sql`select to_regclass(format('%I.%I', ${LOG.schema}::text, ${LOG.table}::text)) is not null as open`,
  );
  if (!log?.open || offerIds.length === 0) return;
  await db.execute(sql`insert into ${LOG_TABLE} (offer_id) select unnest(${`{${offerIds.join(",")}}`}::uuid[]) on conflict do nothing`);
}

/** After the swap, or a failed rebuild: closes the log and queues one indexing job per noted offer; returns how many. */
export async function requeueRebuildChanges(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${LOG_TABLE} in exclusive mode`);
    const rows = await selectRows<{ offerId: string }>(tx, sql`select offer_id as "offerId" from ${LOG_TABLE}`);
    await tx.execute(sql`drop schema ${LOG_SCHEMA} cascade`);
    await queueOfferIndexing(
      tx,
      rows.map((r) => r.offerId),
    );
    return rows.length;
  });
}
