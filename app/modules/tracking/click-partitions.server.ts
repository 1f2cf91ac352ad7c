import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { trimPostbackLogs } from "./postback-log.server";
import { DAY_MS } from "~/lib/time";

/** Partitions made ahead, so a click never waits for one and the default partition stays empty. */
const DAYS_AHEAD = 7;

const utcDay = (at: Date, offsetDays: number) => new Date(at.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);

/** The clicks table's daily partitions from yesterday to a week ahead (creating one that exists does nothing). */
export async function ensureClickPartitions(db: Database, now: Date) {
  for (let offset = -1; offset <= DAYS_AHEAD; offset++) {
    await db.execute(sql`select create_click_partition(${utcDay(now, offset)}::date)`);
  }
}

/** Drops whole days of raw clicks older than the retention; daily counts and conversions stay. */
async function dropExpiredClickPartitions(db: Database, now: Date, retentionDays: number) {
  const oldestKept = utcDay(now, -retentionDays).replaceAll("-", "");
  const partitions = await selectRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'clicks' and c.relname ~ '^clicks_[0-9]{8}$'`,
  );
  const expired = partitions.map((p) => p.name).filter((name) => name.slice("clicks_".length) < oldestKept);
  for (const name of expired) await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
  return expired;
}

/**
 * The hourly upkeep of the tracking tables: partitions ahead and expired ones dropped, unique-click
 * markers older than a day and counters of past periods purged, and postback logs trimmed.
 */
export async function maintainTrackingTables(db: Database, now: Date, retentionDays: number) {
  await ensureClickPartitions(db, now);
  const dropped = await dropExpiredClickPartitions(db, now, retentionDays);
  await db.execute(sql`delete from click_uniques where unique_at < ${new Date(now.getTime() - DAY_MS).toISOString()}::timestamptz`);
  // Caps and tiers read only today's and this month's counters (ADR 20); yesterday's and last month's stay a while.
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  await db.execute(sql`delete from conversion_counters
    where (period like 'd%' and period < ${`d${utcDay(now, -1)}`}) or (period like 'm%' and period < ${`m${lastMonth}`})`);
  await trimPostbackLogs(db);
  return { dropped };
}
