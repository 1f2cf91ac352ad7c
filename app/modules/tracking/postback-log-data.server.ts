import { desc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { postbackLog } from "#db/schema";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { POSTBACK_LOG_SHOWN } from "./schemas";

/** A logged postback as stored (PostbackLogEntry in postback-log.server.ts is the line to insert). */
type PostbackLogRow = typeof postbackLog.$inferSelect;

/** The postbacks the merchant's server sent, as the engine logged them (the token already masked). */
export function postbackLogFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  return {
    latest: (limit = POSTBACK_LOG_SHOWN): Promise<PostbackLogRow[]> =>
      db.select().from(postbackLog).where(eq(postbackLog.merchantId, tenant.organization.id)).orderBy(desc(postbackLog.id)).limit(limit),
  };
}
