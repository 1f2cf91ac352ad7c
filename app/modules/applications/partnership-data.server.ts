import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "#db/client";
import { offers, organizations, partnerships } from "#db/schema";
import { notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";

type PartnershipStatus = (typeof partnerships.$inferSelect)["status"];
type PartnershipColumns = Partial<Pick<typeof partnerships.$inferInsert, "status" | "customTerms">>;

/**
 * The rows of a table with an offer_id and a publisher_id that belong to the tenant: a merchant's
 * are those on its own offers, a publisher's those with its id. Shared by partnerships and
 * applications so both sides scope the same way.
 */
export function ownSideScope(db: Database, tenant: Tenant, row: { offerId: AnyPgColumn; publisherId: AnyPgColumn }) {
  const organizationId = tenant.organization.id;
  if (tenant.organization.kind === "publisher") return eq(row.publisherId, organizationId);
  return inArray(row.offerId, db.select({ id: offers.id }).from(offers).where(eq(offers.merchantId, organizationId)));
}

/**
 * The tenant's partnerships, bound at creation: a merchant sees those on its offers, a publisher its
 * own. Another tenant's partnership is the same 404 as one that does not exist.
 */
export function partnershipsFor(db: Database, tenant: Tenant) {
  const scope = ownSideScope(db, tenant, partnerships);
  const counterpartId = tenant.organization.kind === "merchant" ? partnerships.publisherId : offers.merchantId;
  /** The partnership with its offer and the organization on the other side. */
  const withSides = () =>
    db
      .select({ partnership: partnerships, offer: offers, counterpart: organizations })
      .from(partnerships)
      .innerJoin(offers, eq(offers.id, partnerships.offerId))
      .innerJoin(organizations, eq(organizations.id, counterpartId));

  async function one(partnershipId: string, lock: boolean) {
    const query = withSides().where(and(eq(partnerships.id, partnershipId), scope));
    const [row] = lock ? await query.for("update", { of: partnerships }) : await query;
    if (!row) throw notFound("Partnership not found");
    return row;
  }

  /** A merchant opens partnerships on its own offers, a publisher only for itself. */
  async function assertMayOpen(offerId: string, publisherId: string) {
    const organizationId = tenant.organization.id;
    if (tenant.organization.kind === "publisher") {
      if (publisherId !== organizationId) throw notFound("Partnership not found");
      return;
    }
    const [offer] = await db
      .select({ id: offers.id })
      .from(offers)
      .where(and(eq(offers.id, offerId), eq(offers.merchantId, organizationId)));
    if (!offer) throw notFound("Offer not found");
  }

  return {
    /** Most recently changed first, each with its offer and the organization on the other side. */
    list(filter: { offerId?: string; status?: PartnershipStatus } = {}) {
      return withSides()
        .where(
          and(
            scope,
            filter.offerId ? eq(partnerships.offerId, filter.offerId) : undefined,
            filter.status ? eq(partnerships.status, filter.status) : undefined,
          ),
        )
        .orderBy(desc(partnerships.updatedAt));
    },
    /**
     * Only what a filter or a picker names a partnership by: the offer's title, currency and events,
     * and the organization on the other side. In list()'s order.
     */
    choices(filter: { status?: PartnershipStatus } = {}) {
      return db
        .select({
          id: partnerships.id,
          offerId: offers.id,
          offerTitle: offers.title,
          currency: offers.currency,
          events: sql<string[]>`jsonb_path_query_array(${offers.terms}, '$[*].event')`,
          counterpartId: organizations.id,
          counterpartName: organizations.name,
        })
        .from(partnerships)
        .innerJoin(offers, eq(offers.id, partnerships.offerId))
        .innerJoin(organizations, eq(organizations.id, counterpartId))
        .where(and(scope, filter.status ? eq(partnerships.status, filter.status) : undefined))
        .orderBy(desc(partnerships.updatedAt));
    },
    get: (partnershipId: string) => one(partnershipId, false),
    lockForUpdate: (partnershipId: string) => one(partnershipId, true),
    /** The partnership of one publisher on one offer, if any. */
    async find(offerId: string, publisherId: string) {
      const [row] = await db
        .select()
        .from(partnerships)
        .where(and(eq(partnerships.offerId, offerId), eq(partnerships.publisherId, publisherId), scope));
      return row ?? null;
    },
    async update(partnershipId: string, values: PartnershipColumns) {
      const [row] = await db
        .update(partnerships)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(partnerships.id, partnershipId), scope))
        .returning();
      if (!row) throw notFound("Partnership not found");
      return row;
    },
    /** Creates the partnership in the status, or moves an earlier one (ended, say) to it. */
    async open(input: { offerId: string; publisherId: string; status: "invited" | "active" }) {
      await assertMayOpen(input.offerId, input.publisherId);
      const [row] = await db
        .insert(partnerships)
        .values(input)
        .onConflictDoUpdate({
          target: [partnerships.offerId, partnerships.publisherId],
          set: { status: input.status, updatedAt: new Date() },
        })
        .returning();
      return row!;
    },
  };
}
