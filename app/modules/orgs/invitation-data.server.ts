import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "#db/client";
import { invitations } from "#db/schema";
import { notFound } from "../errors.server";
import type { Tenant } from "./tenant.server";

type NewInvitation = Pick<typeof invitations.$inferInsert, "email" | "role" | "tokenHash" | "expiresAt">;

/**
 * The invitations of the tenant's organization, bound at creation: another organization's
 * invitation is the same 404 as one that does not exist. Accepting one goes by its token instead
 * (team.server's acceptInvitation): the invitee is not a member yet.
 */
export function invitationsFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;
  const open = and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

  return {
    /** Neither accepted nor revoked, oldest first. */
    listOpen() {
      return db
        .select({
          id: invitations.id,
          email: invitations.email,
          role: invitations.role,
          expiresAt: invitations.expiresAt,
          createdAt: invitations.createdAt,
        })
        .from(invitations)
        .where(open)
        .orderBy(asc(invitations.createdAt));
    },
    async insert(values: NewInvitation) {
      const [row] = await db
        .insert(invitations)
        .values({ ...values, organizationId, invitedByUserId: tenant.user.id })
        .returning();
      return row!;
    },
    async revoke(invitationId: string) {
      const [row] = await db
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitations.id, invitationId), open))
        .returning();
      if (!row) throw notFound("Invitation not found");
      return row;
    },
    /** Revokes the open invitation to the address, if there is one. */
    async revokeOpenTo(email: string) {
      await db
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(open, eq(invitations.email, email)));
    },
  };
}
