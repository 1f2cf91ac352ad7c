import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { postbackCredentials } from "#db/schema";
import { assertTenant, type Tenant } from "../orgs/tenant.server";

/**
 * The merchant's postback credentials, bound at creation. Reads give what a page may show (the
 * token's hint, whether a secret exists, when each changed), never the token's hash or the secret.
 */
export function postbackCredentialsFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const merchantId = tenant.organization.id;
  const upsert = (values: Partial<typeof postbackCredentials.$inferInsert>) =>
    db
      .insert(postbackCredentials)
      .values({ merchantId, ...values })
      .onConflictDoUpdate({ target: postbackCredentials.merchantId, set: values });

  return {
    async status() {
      const [row] = await db
        .select({
          tokenHint: postbackCredentials.tokenHint,
          tokenRotatedAt: postbackCredentials.tokenRotatedAt,
          secretRotatedAt: postbackCredentials.secretRotatedAt,
        })
        .from(postbackCredentials)
        .where(eq(postbackCredentials.merchantId, merchantId));
      return row ?? { tokenHint: null, tokenRotatedAt: null, secretRotatedAt: null };
    },
    /** Replaces the token: the old one stops working in the same commit. */
    async setToken(token: { hash: string; hint: string }) {
      await upsert({ tokenHash: token.hash, tokenHint: token.hint, tokenRotatedAt: new Date() });
    },
    async setSigningSecret(secret: string) {
      await upsert({ signingSecret: secret, secretRotatedAt: new Date() });
    },
  };
}
