import { eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { emailOutbox, searchOutbox } from "#db/schema";
import type { OfferSearch } from "#search/types";
import type { StaffActor } from "../auth/staff.server";

/** What staff need to see to know background work is keeping up. */
export async function getSystemHealth(db: Database, _staff: StaffActor, search: OfferSearch) {
  const count = sql<number>`count(*)::int`;
  const [[backlog], [failing], [emailFailed], engine] = await Promise.all([
    db.select({ n: count }).from(searchOutbox),
    db
      .select({ n: count, lastError: sql<string | null>`max(${searchOutbox.lastError})` })
      .from(searchOutbox)
      .where(isNotNull(searchOutbox.lastError)),
    db.select({ n: count }).from(emailOutbox).where(eq(emailOutbox.status, "failed")),
    search.health(),
  ]);
  return {
    searchEngine: search.engine,
    searchHealth: engine,
    searchBacklog: backlog?.n ?? 0,
    searchFailing: failing?.n ?? 0,
    searchLastError: failing?.lastError ?? null,
    emailFailed: emailFailed?.n ?? 0,
  };
}
