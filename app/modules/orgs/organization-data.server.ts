import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { merchantProfiles, organizations, publisherNiches, publisherProfiles } from "#db/schema";
import { assertTenant, type Organization, type Tenant } from "./tenant.server";

type OrganizationColumns = Partial<Pick<typeof organizations.$inferInsert, "status" | "statusReason" | "statusChangedAt">>;
type MerchantProfileColumns = Pick<typeof merchantProfiles.$inferInsert, "website" | "description" | "logoUrl">;
type PublisherProfileColumns = Pick<
  typeof publisherProfiles.$inferInsert,
  "description" | "websites" | "socialChannels" | "trafficSources" | "country"
>;

/** The tenant's own organization row and profile, bound at creation: there is no id to get wrong. */
export function organizationFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;

  return {
    /** Serializes changes that check the organization as a whole, such as "one owner remains". */
    async lockForUpdate(): Promise<Organization> {
      const [row] = await db.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
      return row!;
    },
    async update(values: OrganizationColumns): Promise<Organization> {
      const [row] = await db.update(organizations).set(values).where(eq(organizations.id, organizationId)).returning();
      return row!;
    },
    async updateMerchantProfile(values: MerchantProfileColumns) {
      assertTenant(tenant, { kind: "merchant" });
      await db
        .update(merchantProfiles)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(merchantProfiles.organizationId, organizationId));
    },
    async updatePublisherProfile(values: PublisherProfileColumns, nicheSlugs: string[]) {
      assertTenant(tenant, { kind: "publisher" });
      await db
        .update(publisherProfiles)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(publisherProfiles.organizationId, organizationId));
      await db.delete(publisherNiches).where(eq(publisherNiches.organizationId, organizationId));
      await db.insert(publisherNiches).values([...new Set(nicheSlugs)].map((nicheSlug) => ({ organizationId, nicheSlug })));
    },
  };
}
