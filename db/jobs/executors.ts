import type { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Sql } from "postgres";
import type { Database, DatabaseHandle } from "../client";

/** What pg-boss calls to run its SQL ("bring your own connection"). */
export type SqlExecutor = PgBoss.Db;

type Row = Record<string, unknown>;

/**
 * pg-boss's statements with parameters, run through drizzle on a database or inside a transaction:
 * through a transaction's `tx`, a job is written or changed only if that transaction commits.
 */
export function drizzleExecutor(db: Database): SqlExecutor {
  return {
    async executeSql(text, values) {
      return { rows: await selectRows(db, withParameters(text, values ?? [])) };
    },
  };
}

/** The rows of a query, whichever driver runs it (postgres.js answers an array, PGlite `{ rows }`). */
export async function selectRows<T extends Row>(db: Pick<Database, "execute">, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** `$1`, `$2` … become drizzle parameters, so both drivers bind them the same way. */
function withParameters(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(driverValue(values[Number(part) - 1])))));
}

/**
 * pg-boss leaves optional parameters undefined, which the drivers refuse; and it passes job data as
 * objects, which drizzle's postgres.js setup (json sent as given) would not serialize. insert()'s
 * argument is already a JSON string and goes through untouched, so it is not encoded twice.
 */
function driverValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/**
 * The executor for a process's PgBoss: statements with parameters through drizzle, and pg-boss's
 * parameterless scripts (its migrations and maintenance, `BEGIN; …; COMMIT;` blocks) on the raw
 * client. Every SQL error is reported before it is thrown, because pg-boss's fetch() swallows
 * errors and a broken query would otherwise look like an empty queue.
 */
export function connectionExecutor(handle: DatabaseHandle, onError: (error: unknown, text: string) => void): SqlExecutor {
  const statements = drizzleExecutor(handle.db);
  const script = handle.engine === "postgres" ? postgresScript(handle.client) : pgliteScript(handle.client);
  return {
    async executeSql(text, values) {
      try {
        return values && values.length > 0 ? await statements.executeSql(text, values) : { rows: await script(text) };
      } catch (error) {
        onError(error, text);
        throw error;
      }
    },
  };
}

/**
 * postgres.js refuses a BEGIN on a pooled connection, so scripts run on a reserved one; a failed
 * script is rolled back before the connection goes back to the pool.
 */
function postgresScript(client: Sql) {
  return async (text: string): Promise<Row[]> => {
    const reserved = await client.reserve();
    try {
      const result = (await reserved.unsafe(text)) as unknown as Row[] | Row[][];
      return lastResult(result);
    } catch (error) {
      await reserved.unsafe("rollback");
      throw error;
    } finally {
      reserved.release();
    }
  };
}

/**
 * PGlite runs multi-statement SQL only through exec(). The script runs inside PGlite's own
 * transaction, which holds the single connection for its whole length and rolls back a failed
 * block, so the connection is never left aborted for the app's next query.
 */
function pgliteScript(client: PGlite) {
  return async (text: string): Promise<Row[]> => {
    const results = await client.transaction((tx) => tx.exec(text));
    return (results.at(-1)?.rows ?? []) as Row[];
  };
}

/** postgres.js answers a multi-statement script with one result per statement. */
function lastResult(result: Row[] | Row[][]): Row[] {
  const isMany = "command" in result === false && result.length > 0 && Array.isArray(result[0]);
  return isMany ? ((result as Row[][]).at(-1) ?? []) : (result as Row[]);
}
