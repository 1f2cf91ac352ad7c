import type { Database } from "#db/client";
import { countJobsByQueue } from "#db/jobs/status";
import type { OfferSearch } from "#search/types";
import type { StaffActor } from "../auth/staff.server";

/** What staff need to see to know background work is keeping up. */
export async function getSystemHealth(db: Database, _staff: StaffActor, search: OfferSearch) {
  const [jobs, engine] = await Promise.all([countJobsByQueue(db), search.health()]);
  return { searchEngine: search.engine, searchHealth: engine, jobs, jobsFailed: jobs.reduce((n, q) => n + q.failed, 0) };
}
