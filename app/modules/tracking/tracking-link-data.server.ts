import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { partnerships, trackingLinks } from "#db/schema";
import { ownSideScope } from "../applications/partnership-data.server";
import { notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";

/**
 * The tracking links of the tenant's partnerships (a trigger makes one per partnership), scoped as
 * partnerships are: another tenant's link is the same 404 as a missing one.
 */
export function trackingLinksFor(db: Database, tenant: Tenant) {
  const scope = ownSideScope(db, tenant, partnerships);
  return {
    async forPartnership(partnershipId: string) {
      const [row] = await db
        .select({ id: trackingLinks.id, code: trackingLinks.code })
        .from(trackingLinks)
        .innerJoin(partnerships, eq(partnerships.id, trackingLinks.partnershipId))
        .where(and(eq(trackingLinks.partnershipId, partnershipId), scope));
      if (!row) throw notFound("Tracking link not found");
      return row;
    },
  };
}
