import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { offers, postbackAttempts, postbackDeliveries, publisherPostbacks } from "#db/schema";
import { notFound } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";

/**
 * A publisher's postback templates and their deliveries, bound to the publisher at creation: another
 * publisher's template or delivery is the same 404 as one that does not exist. Merchants have none.
 */
export function publisherPostbacksFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const publisherId = tenant.organization.id;
  const own = eq(publisherPostbacks.publisherId, publisherId);
  const template = {
    id: publisherPostbacks.id,
    offerId: publisherPostbacks.offerId,
    offerTitle: offers.title,
    offerCurrency: offers.currency,
    urlTemplate: publisherPostbacks.urlTemplate,
    updatedAt: publisherPostbacks.updatedAt,
  };
  const templates = () => db.select(template).from(publisherPostbacks).leftJoin(offers, eq(offers.id, publisherPostbacks.offerId));

  return {
    /** The global template first, then one per offer by the offer's title. */
    list: () =>
      templates()
        .where(own)
        .orderBy(sql`${publisherPostbacks.offerId} nulls first`, asc(offers.title)),
    async get(postbackId: string) {
      const [row] = await templates().where(and(own, eq(publisherPostbacks.id, postbackId)));
      if (!row) throw notFound("Postback not found");
      return row;
    },
    /** The template of the scope (null: every offer), if there is one. */
    async findScope(offerId: string | null) {
      const [row] = await db
        .select()
        .from(publisherPostbacks)
        .where(and(own, offerId === null ? sql`${publisherPostbacks.offerId} is null` : eq(publisherPostbacks.offerId, offerId)));
      return row ?? null;
    },
    /** Registers the scope's template, or replaces the one it has (one per scope, the global one included). */
    async save(input: { offerId: string | null; urlTemplate: string }) {
      const [row] = await db
        .insert(publisherPostbacks)
        .values({ publisherId, ...input })
        .onConflictDoUpdate({
          target: [publisherPostbacks.publisherId, publisherPostbacks.offerId],
          set: { urlTemplate: input.urlTemplate, updatedAt: new Date() },
        })
        .returning();
      return row!;
    },
    /**
     * Deletes the template; its deliveries still owed fail with a reason, so a wrong address the
     * publisher removed is not called for another day.
     */
    async remove(postbackId: string) {
      await db
        .update(postbackDeliveries)
        .set({ status: "failed", lastError: "The postback was deleted before this was delivered" })
        .where(
          and(
            eq(postbackDeliveries.publisherId, publisherId),
            eq(postbackDeliveries.postbackId, postbackId),
            eq(postbackDeliveries.status, "pending"),
          ),
        );
      const [row] = await db
        .delete(publisherPostbacks)
        .where(and(own, eq(publisherPostbacks.id, postbackId)))
        .returning();
      if (!row) throw notFound("Postback not found");
      return row;
    },
    /** A delivery owed for one of the publisher's own templates (a test's). */
    async insertDelivery(input: { postbackId: string; trigger: string; url: string }) {
      const [row] = await db
        .insert(postbackDeliveries)
        .values({ publisherId, ...input })
        .returning();
      return row!;
    },
    /** Newest first, `limit` of them older than the delivery `before`. */
    deliveries(page: { before?: number; limit: number }) {
      return db
        .select()
        .from(postbackDeliveries)
        .where(and(eq(postbackDeliveries.publisherId, publisherId), page.before ? lt(postbackDeliveries.id, page.before) : undefined))
        .orderBy(desc(postbackDeliveries.id))
        .limit(page.limit);
    },
    /** One delivery with every attempt made for it, oldest first. */
    async delivery(deliveryId: number) {
      const [row] = await db
        .select()
        .from(postbackDeliveries)
        .where(and(eq(postbackDeliveries.publisherId, publisherId), eq(postbackDeliveries.id, deliveryId)));
      if (!row) throw notFound("Delivery not found");
      const attempts = await db
        .select()
        .from(postbackAttempts)
        .where(eq(postbackAttempts.deliveryId, row.id))
        .orderBy(asc(postbackAttempts.attempt), asc(postbackAttempts.id));
      return { delivery: row, attempts };
    },
  };
}
