import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { applications, offers, organizations } from "#db/schema";
import { notFound } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { ownSideScope } from "./partnership-data.server";

type ApplicationStatus = (typeof applications.$inferSelect)["status"];
type NewApplication = Omit<typeof applications.$inferInsert, "id" | "createdAt">;
type Decision = Pick<typeof applications.$inferInsert, "status" | "decisionReason" | "decidedAt" | "decidedByUserId">;

/**
 * The tenant's applications, bound at creation: a merchant sees those to its offers, a publisher its
 * own. Another tenant's application is the same 404 as one that does not exist.
 */
export function applicationsFor(db: Database, tenant: Tenant) {
  const scope = ownSideScope(db, tenant, applications);
  const counterpartId = tenant.organization.kind === "merchant" ? applications.publisherId : offers.merchantId;

  return {
    /** Newest first, with the offer and the organization on the other side. */
    list(filter: { status?: ApplicationStatus; limit?: number } = {}) {
      const query = db
        .select({ application: applications, offer: offers, counterpart: organizations })
        .from(applications)
        .innerJoin(offers, eq(offers.id, applications.offerId))
        .innerJoin(organizations, eq(organizations.id, counterpartId))
        .where(and(scope, filter.status ? eq(applications.status, filter.status) : undefined))
        .orderBy(desc(applications.createdAt));
      return filter.limit ? query.limit(filter.limit) : query;
    },
    async lockForUpdate(applicationId: string) {
      const [row] = await db
        .select({ application: applications, offer: offers })
        .from(applications)
        .innerJoin(offers, eq(offers.id, applications.offerId))
        .where(and(eq(applications.id, applicationId), scope))
        .for("update", { of: applications });
      if (!row) throw notFound("Application not found");
      return row;
    },
    /** The latest application of one publisher to one offer, if any. */
    async latest(offerId: string, publisherId: string) {
      const [row] = await db
        .select()
        .from(applications)
        .where(and(eq(applications.offerId, offerId), eq(applications.publisherId, publisherId), scope))
        .orderBy(desc(applications.createdAt))
        .limit(1);
      return row ?? null;
    },
    /** Only a publisher applies, and only for itself. */
    async insert(values: Omit<NewApplication, "publisherId">) {
      assertTenant(tenant, { kind: "publisher" });
      const [row] = await db
        .insert(applications)
        .values({ ...values, publisherId: tenant.organization.id })
        .returning();
      return row!;
    },
    async decide(applicationId: string, decision: Decision) {
      const [row] = await db
        .update(applications)
        .set(decision)
        .where(and(eq(applications.id, applicationId), scope))
        .returning();
      if (!row) throw notFound("Application not found");
      return row;
    },
  };
}
