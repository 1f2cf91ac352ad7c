import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "#db/client";

/**
 * A new, empty database on the PostgreSQL server at serverUrl, and how to drop it. The prefix tells
 * whose it is (a benchmark's, sb_bench_, from a test's) when one is left behind.
 */
export async function createServerDatabase(serverUrl: string, prefix = "sb_test_") {
  const name = `${prefix}${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * A clean, migrated database for one test file: a fresh database on the DATABASE_URL server when it
 * is set, else an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ migrate: true });
  const database = await createServerDatabase(serverUrl);
  const handle = await openDatabase({ url: database.url, poolSize: 5, migrate: true });
  return {
    ...handle,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
