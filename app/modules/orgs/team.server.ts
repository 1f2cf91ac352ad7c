import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { invitations, memberships, organizations, users } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { writeAudit } from "../audit/audit.server";
import { setActiveOrganization, type SessionUser } from "../auth/sessions.server";
import { generateToken, hashToken } from "../auth/tokens.server";
import { DomainError, notFound } from "../errors.server";
import type { MemberRole } from "./schemas";
import { assertTenant, type Tenant } from "./tenant.server";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function listTeam(db: Database, tenant: Tenant) {
  const members = await db
    .select({
      id: memberships.id,
      role: memberships.role,
      userId: users.id,
      name: users.name,
      email: users.email,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, tenant.organization.id))
    .orderBy(asc(memberships.createdAt));
  const pending = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .where(and(eq(invitations.organizationId, tenant.organization.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(asc(invitations.createdAt));
  return { members, invitations: pending };
}

function assertMayGrant(tenant: Tenant, role: MemberRole) {
  assertTenant(tenant, { role: "admin", forbidden: "Only owners and admins can manage the team." });
  if (role === "owner" && tenant.role !== "owner")
    throw new DomainError("forbidden", "Only an owner can make someone an owner.", "role", 403);
}

export async function inviteMember(db: Database, tenant: Tenant, input: { email: string; role: MemberRole }, links: { appUrl: string }) {
  assertMayGrant(tenant, input.role);
  const organizationId = tenant.organization.id;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, organizationId), eq(users.email, input.email)));
    if (existing) throw new DomainError("already_member", "This person is already a member.", "email", 409);
    // A new invitation replaces an open one, so "send again" gives a fresh link.
    await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.organizationId, organizationId),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const token = generateToken();
    const [invitation] = await tx
      .insert(invitations)
      .values({
        organizationId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedByUserId: tenant.user.id,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    await enqueueEmail(tx, input.email, "invitation", {
      inviterName: tenant.user.name,
      organizationName: tenant.organization.name,
      role: input.role,
      url: `${links.appUrl}/invitations/${token}`,
    });
    await writeAudit(tx, tenant.user, {
      action: "membership.invited",
      targetType: "invitation",
      targetId: invitation!.id,
      organizationId,
      after: { email: input.email, role: input.role },
    });
    return invitation!;
  });
}

export async function revokeInvitation(db: Database, tenant: Tenant, invitationId: string) {
  assertMayGrant(tenant, "member");
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.organizationId, tenant.organization.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    if (!revoked) throw notFound("Invitation not found");
    await writeAudit(tx, tenant.user, {
      action: "membership.invitation_revoked",
      targetType: "invitation",
      targetId: revoked.id,
      organizationId: tenant.organization.id,
      before: { email: revoked.email, role: revoked.role },
    });
  });
}

async function findMember(tx: Database, tenant: Tenant, membershipId: string) {
  const [member] = await tx
    .select({ id: memberships.id, role: memberships.role, userId: memberships.userId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, tenant.organization.id)))
    .for("update", { of: memberships });
  if (!member) throw notFound("Member not found");
  return member;
}

/** Locks the organization's row, so two concurrent demotions or removals cannot both pass the last-owner check. */
async function lockOrganization(tx: Database, organizationId: string) {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)).for("update");
}

async function assertOwnerRemains(tx: Database, organizationId: string, leavingMembershipId: string) {
  const [row] = await tx
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(
      and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner"), sql`${memberships.id} <> ${leavingMembershipId}`),
    );
  if (!row || row.owners === 0)
    throw new DomainError("last_owner", "An organization needs at least one owner. Make someone else an owner first.", undefined, 409);
}

export async function changeMemberRole(db: Database, tenant: Tenant, input: { membershipId: string; role: MemberRole }) {
  await db.transaction(async (tx) => {
    await lockOrganization(tx, tenant.organization.id);
    const member = await findMember(tx, tenant, input.membershipId);
    assertMayGrant(tenant, input.role);
    if (member.role === "owner" && tenant.role !== "owner")
      throw new DomainError("forbidden", "Only an owner can change an owner's role.", "role", 403);
    if (member.role === input.role) return;
    if (member.role === "owner") await assertOwnerRemains(tx, tenant.organization.id, member.id);
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, member.id));
    await writeAudit(tx, tenant.user, {
      action: "membership.role_changed",
      targetType: "membership",
      targetId: member.id,
      organizationId: tenant.organization.id,
      before: { email: member.email, role: member.role },
      after: { email: member.email, role: input.role },
    });
  });
}

/** Removes a member, or lets members remove themselves (leave). The last owner cannot go. */
export async function removeMember(db: Database, tenant: Tenant, membershipId: string) {
  await db.transaction(async (tx) => {
    await lockOrganization(tx, tenant.organization.id);
    const member = await findMember(tx, tenant, membershipId);
    const leaving = member.userId === tenant.user.id;
    if (!leaving) {
      assertMayGrant(tenant, "member");
      if (member.role === "owner" && tenant.role !== "owner")
        throw new DomainError("forbidden", "Only an owner can remove an owner.", undefined, 403);
    }
    if (member.role === "owner") await assertOwnerRemains(tx, tenant.organization.id, member.id);
    await tx.delete(memberships).where(eq(memberships.id, member.id));
    await writeAudit(tx, tenant.user, {
      action: leaving ? "membership.left" : "membership.removed",
      targetType: "membership",
      targetId: member.id,
      organizationId: tenant.organization.id,
      before: { email: member.email, role: member.role },
    });
  });
}

/** What the invitation page shows before the invitee accepts; null for an unknown or spent token. */
export async function findOpenInvitation(db: Database, token: string) {
  const [row] = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      organizationId: organizations.id,
      organizationName: organizations.name,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/** Joins the organization as the invited role; only the account the invitation was sent to may. */
export async function acceptInvitation(db: Database, actor: { user: SessionUser; sessionId: string }, token: string) {
  return db.transaction(async (tx) => {
    const invitation = await findOpenInvitation(tx, token);
    if (!invitation) throw new DomainError("invalid_invitation", "This invitation is invalid, expired or already used.", undefined, 404);
    if (invitation.email !== actor.user.email)
      throw new DomainError(
        "wrong_account",
        `This invitation was sent to ${invitation.email}. Log in with that address to accept it.`,
        undefined,
        403,
      );
    const [membership] = await tx
      .insert(memberships)
      .values({ organizationId: invitation.organizationId, userId: actor.user.id, role: invitation.role })
      .onConflictDoNothing()
      .returning();
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
    // The link reached this inbox, which verifies the address.
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, actor.user.id));
    await setActiveOrganization(tx, actor.sessionId, invitation.organizationId);
    if (membership) {
      await writeAudit(tx, actor.user, {
        action: "membership.joined",
        targetType: "membership",
        targetId: membership.id,
        organizationId: invitation.organizationId,
        after: { email: actor.user.email, role: invitation.role },
      });
    }
    return invitation;
  });
}
