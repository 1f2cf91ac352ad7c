import { sql } from "drizzle-orm";
import type { Database } from "#db/client";

/** Row count and checksum of each table, by "schema.table". */
export type DatabaseSnapshot = Record<string, { rows: number; checksum: string }>;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Every table of the database, from the catalog: tables added later are included without a list to edit. */
export async function listTables(db: Database): Promise<string[]> {
  const result = await db.execute(sql`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1`);
  return rowsOf<{ name: string }>(result).map((r) => r.name);
}

const quoted = (name: string) =>
  name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");

/**
 * Count and md5 of every row's text, in a fixed order, for each table. With `mentioning`, only the
 * rows whose text contains one of those strings count (the rows of one side of the network).
 */
export async function snapshotDatabase(db: Database, tables: string[], mentioning?: string[]): Promise<DatabaseSnapshot> {
  const filter = mentioning
    ? sql` where ${sql.join(
        mentioning.map((needle) => sql`strpos(t::text, ${needle}) > 0`),
        sql` or `,
      )}`
    : sql``;
  const parts = tables.map(
    (table) =>
      sql`select ${table} as name, count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as checksum from ${sql.raw(quoted(table))} t${filter}`,
  );
  const result = await db.execute(sql.join(parts, sql` union all `));
  return Object.fromEntries(
    rowsOf<{ name: string; rows: number; checksum: string }>(result).map((r) => [r.name, { rows: r.rows, checksum: r.checksum }]),
  );
}

/** The tables whose count or checksum differ, with the counts: "public.offers (7 → 7 rows)". */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  return Object.keys({ ...before, ...after })
    .filter((name) => before[name]?.rows !== after[name]?.rows || before[name]?.checksum !== after[name]?.checksum)
    .map((name) => `${name} (${before[name]?.rows ?? 0} → ${after[name]?.rows ?? 0} rows)`);
}

class RolledBack extends Error {}

/**
 * Runs the work in a transaction that is always rolled back, so a request can be sent, and the
 * database it left behind inspected, without changing what the next request sees.
 */
export async function inRolledBackTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  let value: T | undefined;
  try {
    await db.transaction(async (tx) => {
      value = await work(tx as unknown as Database);
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return value as T;
}
