import { desc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { postbackLog } from "#db/schema";
import { assertTenant, type Tenant } from "../orgs/tenant.server";

export type PostbackLogEntry = typeof postbackLog.$inferSelect;

/** The postbacks the merchant's server sent, as the engine logged them (the token already masked). */
export function postbackLogFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  return {
    latest: (limit = 100): Promise<PostbackLogEntry[]> =>
      db.select().from(postbackLog).where(eq(postbackLog.merchantId, tenant.organization.id)).orderBy(desc(postbackLog.id)).limit(limit),
  };
}
