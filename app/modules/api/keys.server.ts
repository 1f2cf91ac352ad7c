import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { apiKeys, organizations, users } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { generateToken, hashToken } from "../auth/tokens.server";
import { notFound } from "../errors.server";
import { assertTenant, type Organization, type Tenant } from "../orgs/tenant.server";

/** Every key starts so: a secret scanner (or a person) can tell what leaked. */
export const API_KEY_PREFIX = "sb_live_";
/** How much of a key a list shows: the prefix and four characters of the secret. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 4;
/** Last-used times are written at most this often per key, not on every request. */
const LAST_USED_EVERY_MS = 60_000;

const MANAGERS = { role: "admin", forbidden: "Only owners and admins manage API keys." } as const;

/** How a key is named wherever it acts: in audit rows and conversion histories. */
export const apiKeyLabel = (prefix: string) => `API key ${prefix}…`;

/** A new key for the organization: the whole key is returned this once; only its hash is kept. */
export async function createApiKey(db: Database, tenant: Tenant, input: { name: string }) {
  assertTenant(tenant, MANAGERS);
  const key = API_KEY_PREFIX + generateToken();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        organizationId: tenant.organization.id,
        name: input.name,
        prefix: key.slice(0, SHOWN_LENGTH),
        keyHash: hashToken(key),
        createdByUserId: tenant.user.id,
      })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    await writeAudit(tx, tenant.user, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: row!.id,
      organizationId: tenant.organization.id,
      after: { name: row!.name, prefix: row!.prefix },
    });
    return { ...row!, key };
  });
}

/** The organization's keys, newest first, revoked ones included (marked), never their secrets. */
export async function listApiKeys(db: Database, tenant: Tenant) {
  assertTenant(tenant, MANAGERS);
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdByName: users.name,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .where(eq(apiKeys.organizationId, tenant.organization.id))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Refuses the key from now on. Revoking a revoked key changes nothing; another organization's is not found. */
export async function revokeApiKey(db: Database, tenant: Tenant, keyId: string) {
  assertTenant(tenant, MANAGERS);
  return db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.organizationId, tenant.organization.id)))
      .for("update");
    if (!key) throw notFound("API key not found");
    if (key.revokedAt) return { revoked: false };
    await tx.update(apiKeys).set({ revokedAt: new Date(), revokedByUserId: tenant.user.id }).where(eq(apiKeys.id, keyId));
    await writeAudit(tx, tenant.user, {
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: key.id,
      organizationId: tenant.organization.id,
      before: { name: key.name, prefix: key.prefix },
    });
    return { revoked: true };
  });
}

export type ApiKeyTenant = Tenant & { apiKeyId: string };

/**
 * The tenant a presented key acts for, or null when it is unknown or revoked. The key acts with an
 * admin's rights (owners and admins create keys) and is its own actor: no user row stands behind it.
 */
export async function authenticateApiKey(db: Database, presented: string): Promise<ApiKeyTenant | null> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return null;
  const [row] = await db
    .select({ key: { id: apiKeys.id, prefix: apiKeys.prefix, lastUsedAt: apiKeys.lastUsedAt }, organization: organizations })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .where(and(eq(apiKeys.keyHash, hashToken(presented)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  // Most requests read a recent time and write nothing; the condition keeps racing requests to one write.
  if (!row.key.lastUsedAt || Date.now() - row.key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.key.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_EVERY_MS / 1000})`)),
        ),
      );
  }
  const label = apiKeyLabel(row.key.prefix);
  const organization: Organization = row.organization;
  return { user: { id: null, email: label, name: label }, organization, role: "admin", apiKeyId: row.key.id };
}
