import { getTableName, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offerSearchDocuments, offerSearchPayloads, searchFacetTotals, searchWords } from "#db/schema";

/** Every table the postgres engine keeps: a rebuild builds them together and swaps them together. */
const INDEX_TABLES = [offerSearchDocuments, offerSearchPayloads, searchFacetTotals, searchWords].map((table) => getTableName(table));
/** Where a rebuild builds its copies of those tables, under the same table and index names. */
const SHADOW_SCHEMA = "offer_search_rebuild";
/** Where the replaced tables wait, inside the swap's transaction, to be dropped. */
const RETIRED_SCHEMA = "offer_search_retired";

const qualified = (schema: string, table: string) => sql`${sql.identifier(schema)}.${sql.identifier(table)}`;
const regclass = (schema: string, table: string) => sql`format('%I.%I', ${schema}::text, ${table}::text)::regclass`;

/**
 * Empty copies of the index tables in the shadow schema, dropping a crashed rebuild's leftovers:
 * columns and storage (LIKE), then the live tables' reloptions, constraints and indexes under their
 * own names, so migrations keep finding them by name after the swap. Returns the live schema.
 */
export async function createShadowTables(db: Database): Promise<string> {
  const [row] = await selectRows<{ schema: string }>(db, sql`select current_schema() as schema`);
  const live = row!.schema;
  await db.transaction(async (tx) => {
    await tx.execute(sql`drop schema if exists ${sql.identifier(SHADOW_SCHEMA)} cascade`);
    await tx.execute(sql`create schema ${sql.identifier(SHADOW_SCHEMA)}`);
    for (const table of INDEX_TABLES) {
      const source = qualified(live, table);
      const sourceOid = regclass(live, table);
      const target = qualified(SHADOW_SCHEMA, table);
      await tx.execute(sql`create table ${target} (like ${source} including all excluding indexes)`);
      const [options] = await selectRows<{ reloptions: string[] | null }>(
        tx,
        sql`select reloptions from pg_class where oid = ${sourceOid}`,
      );
      if (options?.reloptions?.length) await tx.execute(sql`alter table ${target} set (${sql.raw(options.reloptions.join(", "))})`);
      const constraints = await selectRows<{ name: string; definition: string }>(
        tx,
        sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
            where conrelid = ${sourceOid} and contype in ('p', 'u', 'x')`,
      );
      for (const c of constraints) {
        await tx.execute(sql`alter table ${target} add constraint ${sql.identifier(c.name)} ${sql.raw(c.definition)}`);
      }
      const indexes = await selectRows<{ definition: string; on: string; shadow: string }>(
        tx,
        sql`select pg_get_indexdef(i.indexrelid) as definition, format(' ON %I.%I ', ${live}::text, ${table}::text) as on,
              format(' ON %I.%I ', ${SHADOW_SCHEMA}::text, ${table}::text) as shadow
            from pg_index i where i.indrelid = ${sourceOid}
              and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)`,
      );
      for (const index of indexes) {
        if (!index.definition.includes(index.on)) throw new Error(`Cannot place index on the shadow table: ${index.definition}`);
        await tx.execute(sql.raw(index.definition.replace(index.on, index.shadow)));
      }
    }
  });
  return live;
}

/** Points this transaction's unqualified table names at the shadow tables, so the engine's own writes fill them. */
export async function useShadowTables(tx: Database, live: string) {
  await tx.execute(sql`select set_config('search_path', format('%I, %I', ${SHADOW_SCHEMA}::text, ${live}::text), true)`);
}

/** Fresh planner statistics for the shadow tables, so the first searches after the swap plan well. */
export async function analyzeShadowTables(db: Database) {
  for (const table of INDEX_TABLES) await db.execute(sql`analyze ${qualified(SHADOW_SCHEMA, table)}`);
}

/** Call under the index-write lock: the live tables step aside and the shadow tables take their place. */
export async function swapShadowTables(tx: Database, live: string) {
  await tx.execute(sql`drop schema if exists ${sql.identifier(RETIRED_SCHEMA)} cascade`);
  await tx.execute(sql`create schema ${sql.identifier(RETIRED_SCHEMA)}`);
  // All at once, in the order a search locks them (words, documents, payloads, facet totals): one table at a
  // time, the swap and a search running beside it could each hold what the other waits for.
  const readOrder = [searchWords, offerSearchDocuments, offerSearchPayloads, searchFacetTotals].map((table) =>
    qualified(live, getTableName(table)),
  );
  await tx.execute(sql`lock table ${sql.join(readOrder, sql`, `)} in access exclusive mode`);
  for (const table of INDEX_TABLES)
    await tx.execute(sql`alter table ${qualified(live, table)} set schema ${sql.identifier(RETIRED_SCHEMA)}`);
  for (const table of INDEX_TABLES)
    await tx.execute(sql`alter table ${qualified(SHADOW_SCHEMA, table)} set schema ${sql.identifier(live)}`);
  // Without CASCADE: a view or other object built on the old tables fails the swap instead of vanishing with them.
  await tx.execute(
    sql`drop table ${sql.join(
      INDEX_TABLES.map((table) => qualified(RETIRED_SCHEMA, table)),
      sql`, `,
    )}`,
  );
  await tx.execute(sql`drop schema ${sql.identifier(RETIRED_SCHEMA)}`);
  await tx.execute(sql`drop schema ${sql.identifier(SHADOW_SCHEMA)}`);
}

export async function dropShadowTables(db: Database) {
  await db.execute(sql`drop schema if exists ${sql.identifier(SHADOW_SCHEMA)} cascade`);
}
