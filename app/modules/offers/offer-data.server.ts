import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { offerChanges, offerNiches, offers } from "#db/schema";
import { notFound } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";

export type Offer = typeof offers.$inferSelect;
type OfferColumns = Omit<typeof offers.$inferInsert, "id" | "merchantId" | "createdAt">;

/**
 * The merchant's own offers, bound to the tenant at creation: every query carries the merchant's
 * scope, so another merchant's offer is the same 404 as one that does not exist. Pass a transaction
 * to use it inside one.
 */
export function offersFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const merchantId = tenant.organization.id;
  const own = (offerId: string) => and(eq(offers.id, offerId), eq(offers.merchantId, merchantId));

  async function get(offerId: string): Promise<Offer> {
    const [offer] = await db.select().from(offers).where(own(offerId));
    if (!offer) throw notFound("Offer not found");
    return offer;
  }

  return {
    get,
    list: () => db.select().from(offers).where(eq(offers.merchantId, merchantId)).orderBy(desc(offers.updatedAt)),
    async lockForUpdate(offerId: string): Promise<Offer> {
      const [offer] = await db.select().from(offers).where(own(offerId)).for("update");
      if (!offer) throw notFound("Offer not found");
      return offer;
    },
    async insert(values: OfferColumns): Promise<Offer> {
      const [offer] = await db
        .insert(offers)
        .values({ ...values, merchantId })
        .returning();
      return offer!;
    },
    async update(offerId: string, values: Partial<OfferColumns>): Promise<Offer> {
      const [offer] = await db
        .update(offers)
        .set({ ...values, updatedAt: new Date() })
        .where(own(offerId))
        .returning();
      if (!offer) throw notFound("Offer not found");
      return offer;
    },
    async niches(offerId: string): Promise<string[]> {
      const rows = await db
        .select({ slug: offerNiches.nicheSlug })
        .from(offerNiches)
        .innerJoin(offers, eq(offers.id, offerNiches.offerId))
        .where(own(offerId));
      return rows.map((n) => n.slug);
    },
    // Writes to the child tables, which have no merchant column, check the offer first.
    async setNiches(offerId: string, slugs: string[]) {
      await get(offerId);
      await db.delete(offerNiches).where(eq(offerNiches.offerId, offerId));
      await db.insert(offerNiches).values([...new Set(slugs)].map((nicheSlug) => ({ offerId, nicheSlug })));
    },
    async changes(offerId: string) {
      const rows = await db
        .select({ change: offerChanges })
        .from(offerChanges)
        .innerJoin(offers, eq(offers.id, offerChanges.offerId))
        .where(own(offerId))
        .orderBy(desc(offerChanges.id))
        .limit(20);
      return rows.map((r) => r.change);
    },
    async recordChange(offerId: string, change: { summary: string; before: Record<string, unknown>; after: Record<string, unknown> }) {
      await get(offerId);
      await db.insert(offerChanges).values({ offerId, actorUserId: tenant.user.id, ...change });
    },
  };
}
