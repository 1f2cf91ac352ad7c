import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { postbackLog } from "#db/schema";
import { logMessage, type PostbackAnswer } from "./postbacks.server";

export type PostbackLogEntry = typeof postbackLog.$inferInsert;

/** The latest rows kept per merchant; older ones are trimmed by the tracking maintenance job. */
export const POSTBACK_LOG_KEPT = 1000;

/**
 * Lines of the merchants' postback logs: the HTTP path hands them to a batch writer, so a postback
 * never waits for its own log line (a record of what happened, not part of it); the test tool writes
 * its line at once, in the request's transaction, because the merchant reads it next.
 */
export async function writePostbackLog(db: Database, entries: PostbackLogEntry[]) {
  await db.insert(postbackLog).values(entries);
}

/** The log line of one exchange: what was sent (token already masked), how it was authenticated, the answer. */
export function postbackLogEntry(
  merchantId: string,
  request: { method: string; parameters: Record<string, string>; authentication: string },
  result: PostbackAnswer,
): PostbackLogEntry {
  return {
    merchantId,
    receivedAt: new Date(),
    ...request,
    httpStatus: result.status,
    outcome: result.outcome,
    message: logMessage(result),
    conversionId: result.conversionId,
    replayed: "replayed" in result.body,
  };
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
