import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { apiIdempotency } from "#db/schema";
import { DAY_MS } from "~/lib/time";

/** What a POST with an Idempotency-Key finds: it goes first, or an earlier one already answered, differed or is still running. */
export type IdempotencyClaim =
  { kind: "first" } | { kind: "replay"; status: number; body: unknown } | { kind: "different_request" } | { kind: "in_flight" };

/**
 * Claims the key for this request, atomically: the insert that wins goes first; any other request
 * with the key reads what the first left. A record older than a day no longer counts.
 */
export async function claimIdempotencyKey(
  db: Database,
  apiKeyId: string,
  idempotencyKey: string,
  requestHash: string,
): Promise<IdempotencyClaim> {
  const own = and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey));
  await db.delete(apiIdempotency).where(and(own, lt(apiIdempotency.createdAt, new Date(Date.now() - DAY_MS))));
  const inserted = await db
    .insert(apiIdempotency)
    .values({ apiKeyId, idempotencyKey, requestHash })
    .onConflictDoNothing()
    .returning({ key: apiIdempotency.idempotencyKey });
  if (inserted.length) return { kind: "first" };
  const [earlier] = await db.select().from(apiIdempotency).where(own);
  // Finished and purged between the insert and the read: the caller may simply try again.
  if (!earlier) return { kind: "in_flight" };
  if (earlier.requestHash !== requestHash) return { kind: "different_request" };
  if (earlier.status === null) return { kind: "in_flight" };
  return { kind: "replay", status: earlier.status, body: earlier.body };
}

/** The first request's answer, kept for its repeats. */
export async function recordIdempotentAnswer(db: Database, apiKeyId: string, idempotencyKey: string, status: number, body: unknown) {
  await db
    .update(apiIdempotency)
    .set({ status, body: sql`${JSON.stringify(body)}::jsonb` })
    .where(and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
}

/** The first request failed on our side: its key is free again, so a retry runs instead of waiting forever. */
export async function releaseIdempotencyKey(db: Database, apiKeyId: string, idempotencyKey: string) {
  await db.delete(apiIdempotency).where(and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
}

/** For the hourly upkeep: records older than a day are never replayed, so they go. */
export async function purgeIdempotencyRecords(db: Database, now: Date): Promise<number> {
  const gone = await db
    .delete(apiIdempotency)
    .where(lt(apiIdempotency.createdAt, new Date(now.getTime() - DAY_MS)))
    .returning({ key: apiIdempotency.idempotencyKey });
  return gone.length;
}
