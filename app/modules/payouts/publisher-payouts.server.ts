import type { Database } from "#db/client";
import { readQueryFilters } from "~/lib/query-filters";
import type { Tenant } from "../orgs/tenant.server";
import { publisherBalances } from "./balances.server";
import { payoutsFor } from "./payout-data.server";
import { payoutListFilters } from "./schemas";

/** The list's query: its filters, a sentence for each that does not read, and the page cursor. */
export function readPayoutQuery(params: URLSearchParams) {
  const { filter, errors } = readQueryFilters(payoutListFilters, params, {
    cursor: "cursor",
    staleCursor: "That page of payouts no longer exists: showing the newest.",
  });
  const { cursor, ...rest } = filter;
  return { filter: rest, cursor: cursor ?? null, errors };
}

/** The publisher's payouts page: balances per currency, what waits for which merchant, and a page of payouts. */
export async function getPublisherPayouts(db: Database, tenant: Tenant, query: ReturnType<typeof readPayoutQuery>) {
  const page = await payoutsFor(db, tenant).list(query.filter, query.cursor);
  return { ...(await publisherBalances(db, tenant)), ...page };
}
