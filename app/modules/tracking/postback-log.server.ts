import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { postbackLog } from "#db/schema";
import { isDataError } from "./data-errors";

export type PostbackLogEntry = typeof postbackLog.$inferInsert;

/** The latest rows kept per merchant; older ones are trimmed by the tracking maintenance job. */
export const POSTBACK_LOG_KEPT = 1000;
const MAX_BUFFERED = 50_000;

/**
 * The merchants' postback logs, written in batches after the answer has gone out: a log row is a
 * record of what happened, not part of it, so a postback never waits for its own log line.
 */
export function createPostbackLog(db: Database, options: { flushEveryMs: number; onError: (error: unknown) => void }) {
  let buffer: PostbackLogEntry[] = [];
  let flushing: Promise<void> | null = null;

  async function write() {
    while (buffer.length) {
      const batch = buffer.slice(0, 500);
      try {
        await db.insert(postbackLog).values(batch);
      } catch (error) {
        if (!isDataError(error)) throw error;
        // One line the database refuses must not hold back every line after it.
        for (const entry of batch) await db.insert(postbackLog).values(entry).catch(options.onError);
      }
      buffer = buffer.slice(batch.length);
    }
  }
  function flush() {
    flushing ??= write()
      .catch(options.onError)
      .finally(() => (flushing = null));
    return flushing;
  }
  const timer = setInterval(() => {
    if (buffer.length && !flushing) void flush();
  }, options.flushEveryMs);
  timer.unref();

  return {
    add(entry: PostbackLogEntry) {
      if (buffer.length >= MAX_BUFFERED) buffer.shift();
      buffer.push(entry);
    },
    async flush() {
      await flushing;
      await flush();
    },
    async close() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}

/** One line written at once, in the caller's transaction: the test tool's, which the merchant reads next. */
export async function writePostbackLog(db: Database, entry: PostbackLogEntry) {
  await db.insert(postbackLog).values(entry);
}

/** Keeps each merchant's latest POSTBACK_LOG_KEPT rows. */
export async function trimPostbackLogs(db: Database) {
  await db.execute(sql`
    delete from postback_log l using (
      select id from (
        select id, row_number() over (partition by merchant_id order by id desc) as position from postback_log
      ) ranked where position > ${POSTBACK_LOG_KEPT}
    ) old where l.id = old.id`);
}
