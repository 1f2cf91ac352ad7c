import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { coupons, partnerships } from "#db/schema";
import { ownSideScope } from "../applications/partnership-data.server";
import { notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";

export type Coupon = typeof coupons.$inferSelect;

/**
 * Coupon codes, bound to the tenant at creation: a merchant's are those it gave out, a publisher's
 * those on its partnerships. Only a merchant adds or removes them, and only on its own partnerships.
 */
export function couponsFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;
  const isMerchant = tenant.organization.kind === "merchant";
  const ownPartnerships = db
    .select({ id: partnerships.id })
    .from(partnerships)
    .where(ownSideScope(db, tenant, partnerships));
  const scope = isMerchant ? eq(coupons.merchantId, organizationId) : inArray(coupons.partnershipId, ownPartnerships);

  return {
    /** Oldest first, of one partnership or of all. */
    list(filter: { partnershipId?: string } = {}) {
      return db
        .select()
        .from(coupons)
        .where(and(scope, filter.partnershipId ? eq(coupons.partnershipId, filter.partnershipId) : undefined))
        .orderBy(asc(coupons.createdAt), asc(coupons.code));
    },
    /**
     * Adds the code to one of the merchant's partnerships; null when the merchant already has the
     * code in any case. A concurrent insert of the same code waits for the first and gets null too.
     */
    async insert(input: { partnershipId: string; code: string }): Promise<Coupon | null> {
      if (!isMerchant) throw notFound("Partnership not found");
      const [partnership] = await db
        .select({ id: partnerships.id })
        .from(partnerships)
        .where(and(eq(partnerships.id, input.partnershipId), ownSideScope(db, tenant, partnerships)));
      if (!partnership) throw notFound("Partnership not found");
      const [row] = await db
        .insert(coupons)
        .values({ merchantId: organizationId, partnershipId: partnership.id, code: input.code })
        .onConflictDoNothing()
        .returning();
      return row ?? null;
    },
    async remove(couponId: string): Promise<Coupon> {
      if (!isMerchant) throw notFound("Coupon not found");
      const [row] = await db
        .delete(coupons)
        .where(and(eq(coupons.id, couponId), scope))
        .returning();
      if (!row) throw notFound("Coupon not found");
      return row;
    },
  };
}
