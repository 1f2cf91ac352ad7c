import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { memberships, users } from "#db/schema";
import { notFound } from "../errors.server";
import type { MemberRole } from "./schemas";
import type { Tenant } from "./tenant.server";

/**
 * The memberships of the tenant's organization, bound at creation: a membership of another
 * organization is the same 404 as one that does not exist.
 */
export function membershipsFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;
  const own = eq(memberships.organizationId, organizationId);
  const member = { id: memberships.id, role: memberships.role, userId: memberships.userId, email: users.email };

  return {
    /** Oldest first, with each member's name and email. */
    list() {
      return db
        .select({ ...member, name: users.name, joinedAt: memberships.createdAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(own)
        .orderBy(asc(memberships.createdAt));
    },
    async lockForUpdate(membershipId: string) {
      const [row] = await db
        .select(member)
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.id, membershipId), own))
        .for("update", { of: memberships });
      if (!row) throw notFound("Member not found");
      return row;
    },
    async findByEmail(email: string) {
      const [row] = await db
        .select(member)
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(own, eq(users.email, email)));
      return row ?? null;
    },
    async count(filter: { role?: MemberRole; except?: string } = {}) {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(memberships)
        .where(
          and(
            own,
            filter.role ? eq(memberships.role, filter.role) : undefined,
            filter.except ? ne(memberships.id, filter.except) : undefined,
          ),
        );
      return row?.count ?? 0;
    },
    async setRole(membershipId: string, role: MemberRole) {
      const [row] = await db
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.id, membershipId), own))
        .returning();
      if (!row) throw notFound("Member not found");
    },
    async remove(membershipId: string) {
      const [row] = await db
        .delete(memberships)
        .where(and(eq(memberships.id, membershipId), own))
        .returning();
      if (!row) throw notFound("Member not found");
    },
  };
}
