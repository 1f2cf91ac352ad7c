import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres, { type Sql } from "postgres";
import { installJobQueue } from "./jobs/install";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The raw client is there for what drizzle cannot do: pg-boss's multi-statement scripts (db/jobs). */
export type DatabaseHandle = { db: Database; close(): Promise<void> } & (
  { engine: "pglite"; client: PGlite } | { engine: "postgres"; client: Sql }
);

export type DatabaseOptions = { url: string; poolSize?: number; migrate?: boolean } | { dataDir?: string; migrate?: boolean };

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
/** Any fixed number: held while migrating so two instances booting together apply each migration once. */
const MIGRATION_LOCK = 7_202_611;

/** A PostgreSQL server when given a URL; otherwise PGlite in dataDir (in memory when it is absent). */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if ("url" in options) {
    if (options.migrate) await migrateServer(options.url);
    const client = postgres(options.url, { max: options.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema, casing: "snake_case" }) as unknown as Database;
    return { db, engine: "postgres", client, close: () => client.end({ timeout: 5 }) };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite({ dataDir: options.dataDir, extensions: { pg_trgm } });
  await client.waitReady;
  const db = drizzlePglite(client, { schema, casing: "snake_case" });
  const handle: DatabaseHandle = { db: db as unknown as Database, engine: "pglite", client, close: () => client.close() };
  if (options.migrate) {
    await migratePglite(db, { migrationsFolder });
    await installJobQueue(handle);
  }
  return handle;
}

async function migrateServer(url: string) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzlePostgres(client, { casing: "snake_case" });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    await migratePostgres(db, { migrationsFolder });
    await installJobQueue({ db: db as unknown as Database, engine: "postgres", client, close: async () => {} });
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** The database the configuration names: DATABASE_URL's server, else PGlite in DATA_DIR. */
export function openConfiguredDatabase(config: {
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE: number;
  DATA_DIR: string;
  MIGRATE_ON_BOOT: boolean;
}): Promise<DatabaseHandle> {
  return config.DATABASE_URL
    ? openDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, migrate: config.MIGRATE_ON_BOOT })
    : openDatabase({ dataDir: config.DATA_DIR, migrate: true });
}

export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
