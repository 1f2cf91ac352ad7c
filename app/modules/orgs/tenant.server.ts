import { and, asc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { memberships, organizations } from "#db/schema";
import type { SessionUser } from "../auth/sessions.server";
import { DomainError, notFound } from "../errors.server";
import type { MemberRole } from "./schemas";

export type Organization = typeof organizations.$inferSelect;

/**
 * Who acts for the organization: the signed-in person, or an API key. A key has no user row, so its
 * id is null and its email is the key's label ("API key sb_live_ab12…"), which audit rows and
 * conversion histories show as the actor.
 */
type TenantActor = Pick<SessionUser, "email" | "name"> & { id: string | null };

/** The organization a request acts for, resolved from the session's membership or an API key only. */
export type Tenant = { user: TenantActor; organization: Organization; role: MemberRole };

/** A tenant resolved from a session: the actor is the signed-in user. */
export type SessionTenant = Tenant & { user: SessionUser };

export async function listUserOrganizations(db: Database, userId: string) {
  return db
    .select({ organization: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

/**
 * The tenant for the session: its active organization when the user is still a member of it,
 * otherwise the user's first membership. Null when the user belongs to no organization.
 */
export async function resolveTenant(db: Database, user: SessionUser, activeOrganizationId: string | null): Promise<SessionTenant | null> {
  if (activeOrganizationId) {
    const [row] = await db
      .select({ organization: organizations, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(and(eq(memberships.userId, user.id), eq(memberships.organizationId, activeOrganizationId)));
    if (row) return { user, ...row };
  }
  const [first] = await listUserOrganizations(db, user.id);
  return first ? { user, ...first } : null;
}

const ROLE_RANK: Record<MemberRole, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(tenant: Pick<Tenant, "role">, atLeast: MemberRole): boolean {
  return ROLE_RANK[tenant.role] >= ROLE_RANK[atLeast];
}

/**
 * The check every tenant action starts with: an organization of the other kind sees nothing (404);
 * a member below the role is told why (403).
 */
export function assertTenant(tenant: Tenant, rule: { kind?: Organization["kind"]; role?: MemberRole; forbidden?: string }) {
  if (rule.kind && tenant.organization.kind !== rule.kind) throw notFound();
  if (rule.role && !hasRole(tenant, rule.role)) {
    throw new DomainError("forbidden", rule.forbidden ?? "Only owners and admins can do this.", undefined, 403);
  }
}
