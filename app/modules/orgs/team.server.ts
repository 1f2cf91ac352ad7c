import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "#db/client";
import { invitations, memberships, organizations } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { writeAudit } from "../audit/audit.server";
import { markEmailVerified } from "../auth/accounts.server";
import { setActiveOrganization, type SessionUser } from "../auth/sessions.server";
import { generateToken, hashToken } from "../auth/tokens.server";
import { DomainError } from "../errors.server";
import { invitationsFor } from "./invitation-data.server";
import { membershipsFor } from "./membership-data.server";
import { organizationFor } from "./organization-data.server";
import type { MemberRole } from "./schemas";
import { assertTenant, type Tenant } from "./tenant.server";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function listTeam(db: Database, tenant: Tenant) {
  const [members, pending] = await Promise.all([membershipsFor(db, tenant).list(), invitationsFor(db, tenant).listOpen()]);
  return { members, invitations: pending };
}

function assertMayGrant(tenant: Tenant, role: MemberRole) {
  assertTenant(tenant, { role: "admin", forbidden: "Only owners and admins can manage the team." });
  if (role === "owner" && tenant.role !== "owner")
    throw new DomainError("forbidden", "Only an owner can make someone an owner.", "role", 403);
}

export async function inviteMember(db: Database, tenant: Tenant, input: { email: string; role: MemberRole }, links: { appUrl: string }) {
  assertMayGrant(tenant, input.role);
  return db.transaction(async (tx) => {
    if (await membershipsFor(tx, tenant).findByEmail(input.email))
      throw new DomainError("already_member", "This person is already a member.", "email", 409);
    const own = invitationsFor(tx, tenant);
    // A new invitation replaces an open one, so "send again" gives a fresh link.
    await own.revokeOpenTo(input.email);
    const token = generateToken();
    const invitation = await own.insert({
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await enqueueEmail(tx, input.email, "invitation", {
      inviterName: tenant.user.name,
      organizationName: tenant.organization.name,
      role: input.role,
      url: `${links.appUrl}/invitations/${token}`,
    });
    await writeAudit(tx, tenant.user, {
      action: "membership.invited",
      targetType: "invitation",
      targetId: invitation.id,
      organizationId: tenant.organization.id,
      after: { email: input.email, role: input.role },
    });
    return invitation;
  });
}

export async function revokeInvitation(db: Database, tenant: Tenant, invitationId: string) {
  assertMayGrant(tenant, "member");
  await db.transaction(async (tx) => {
    const revoked = await invitationsFor(tx, tenant).revoke(invitationId);
    await writeAudit(tx, tenant.user, {
      action: "membership.invitation_revoked",
      targetType: "invitation",
      targetId: revoked.id,
      organizationId: tenant.organization.id,
      before: { email: revoked.email, role: revoked.role },
    });
  });
}

/**
 * Locks the organization, so two concurrent demotions or removals cannot both pass the last-owner
 * check, then the member.
 */
async function lockMember(tx: Database, tenant: Tenant, membershipId: string) {
  await organizationFor(tx, tenant).lockForUpdate();
  return membershipsFor(tx, tenant).lockForUpdate(membershipId);
}

async function assertOwnerRemains(tx: Database, tenant: Tenant, leavingMembershipId: string) {
  if ((await membershipsFor(tx, tenant).count({ role: "owner", except: leavingMembershipId })) === 0)
    throw new DomainError("last_owner", "An organization needs at least one owner. Make someone else an owner first.", undefined, 409);
}

export async function changeMemberRole(db: Database, tenant: Tenant, input: { membershipId: string; role: MemberRole }) {
  await db.transaction(async (tx) => {
    const member = await lockMember(tx, tenant, input.membershipId);
    assertMayGrant(tenant, input.role);
    if (member.role === "owner" && tenant.role !== "owner")
      throw new DomainError("forbidden", "Only an owner can change an owner's role.", "role", 403);
    if (member.role === input.role) return;
    if (member.role === "owner") await assertOwnerRemains(tx, tenant, member.id);
    await membershipsFor(tx, tenant).setRole(member.id, input.role);
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
    const member = await lockMember(tx, tenant, membershipId);
    const leaving = member.userId === tenant.user.id;
    if (!leaving) {
      assertMayGrant(tenant, "member");
      if (member.role === "owner" && tenant.role !== "owner")
        throw new DomainError("forbidden", "Only an owner can remove an owner.", undefined, 403);
    }
    if (member.role === "owner") await assertOwnerRemains(tx, tenant, member.id);
    await membershipsFor(tx, tenant).remove(member.id);
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
    await markEmailVerified(tx, actor.user.id);
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
