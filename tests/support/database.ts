import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "#db/client";

/**
 * A clean, migrated database for one test file: a fresh database on the DATABASE_URL server when it
 * is set, else an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ migrate: true });
  const name = `sb_test_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5, migrate: true });
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
