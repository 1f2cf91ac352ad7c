import { and, eq, gte, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { clickDaily } from "#db/schema";
import type { Tenant } from "../orgs/tenant.server";

type ClickTotals = { clicks: number; uniqueClicks: number; botClicks: number };

/**
 * The tenant's daily click counts, bound at creation: a merchant's are those on its offers, a
 * publisher's those on its links. Another tenant's partnership adds up to nothing.
 */
export function clickCountsFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;
  const scope =
    tenant.organization.kind === "merchant" ? eq(clickDaily.merchantId, organizationId) : eq(clickDaily.publisherId, organizationId);

  return {
    /** Clicks (bots included), unique clicks and bot clicks from the UTC day `since` on. */
    async totals(filter: { since: string; partnershipId?: string }): Promise<ClickTotals> {
      const [row] = await db
        .select({
          clicks: sql<string>`coalesce(sum(${clickDaily.clicks}), 0)::text`,
          uniqueClicks: sql<string>`coalesce(sum(${clickDaily.uniqueClicks}), 0)::text`,
          botClicks: sql<string>`coalesce(sum(${clickDaily.botClicks}), 0)::text`,
        })
        .from(clickDaily)
        .where(
          and(
            scope,
            gte(clickDaily.day, filter.since),
            filter.partnershipId ? eq(clickDaily.partnershipId, filter.partnershipId) : undefined,
          ),
        );
      // A sum of integers is a bigint, read as text: more clicks than an int holds still count exactly.
      return { clicks: Number(row!.clicks), uniqueClicks: Number(row!.uniqueClicks), botClicks: Number(row!.botClicks) };
    },
  };
}
