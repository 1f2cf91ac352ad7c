import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { auditLog, memberships, organizations, users } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { queueMerchantOffers } from "#search/outbox";
import type { EmailTemplate } from "#emails/catalog";
import { escapeLike, writeAudit, type Actor } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { contactEmails } from "../orgs/contacts.server";
import { getOrganizationProfile } from "../orgs/organizations.server";

type Status = (typeof organizations.$inferSelect)["status"];

export async function listOrganizationsForStaff(db: Database, filter: { status?: Status; kind?: "merchant" | "publisher"; q?: string }) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(organizations.status, filter.status));
  if (filter.kind) where.push(eq(organizations.kind, filter.kind));
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    where.push(or(ilike(organizations.name, like), ilike(organizations.slug, like))!);
  }
  // Correlated subqueries name the outer table explicitly: drizzle leaves columns unqualified here.
  const orgId = sql`${organizations}.${sql.identifier("id")}`;
  const owner = sql`from ${memberships} m join ${users} u on u.id = m.user_id where m.organization_id = ${orgId} and m.role = 'owner' order by m.created_at limit 1`;
  return db
    .select({
      organization: organizations,
      members: sql<number>`(select count(*)::int from ${memberships} m where m.organization_id = ${orgId})`,
      ownerEmail: sql<string | null>`(select u.email ${owner})`,
      ownerVerified: sql<boolean>`coalesce((select u.email_verified_at is not null ${owner}), false)`,
    })
    .from(organizations)
    .where(and(...where))
    .orderBy(filter.status === "pending_review" ? organizations.createdAt : desc(organizations.createdAt))
    .limit(200);
}

export async function getOrganizationForStaff(db: Database, organizationId: string) {
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!organization) throw notFound("Organization not found");
  const [profile, members, history] = await Promise.all([
    getOrganizationProfile(db, organization),
    db
      .select({ name: users.name, email: users.email, role: memberships.role, emailVerifiedAt: users.emailVerifiedAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, organizationId))
      .orderBy(memberships.createdAt),
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "organization"), eq(auditLog.targetId, organizationId)))
      .orderBy(desc(auditLog.id))
      .limit(50),
  ]);
  return { organization, profile, members, history };
}

const transitions = {
  approve: { from: ["pending_review", "rejected"], to: "active", email: "organization_approved", needsReason: false },
  reject: { from: ["pending_review"], to: "rejected", email: "organization_rejected", needsReason: true },
  suspend: { from: ["active", "pending_review"], to: "suspended", email: "organization_suspended", needsReason: true },
  reactivate: { from: ["suspended"], to: "active", email: "organization_reactivated", needsReason: false },
} as const satisfies Record<string, { from: Status[]; to: Status; email: EmailTemplate; needsReason: boolean }>;

export type ReviewDecision = keyof typeof transitions;

/**
 * Moves an organization through staff review: the status change, the audit row and the email to its
 * owners and admins commit together, and only from a status the decision allows.
 */
export async function reviewOrganization(
  db: Database,
  staff: NonNullable<Actor>,
  input: { organizationId: string; decision: ReviewDecision; reason?: string },
  links: { appUrl: string },
) {
  const rule = transitions[input.decision];
  const reason = input.reason?.trim() || null;
  if (rule.needsReason && !reason) throw new DomainError("reason_required", "Give a reason: the organization will read it.", "reason");
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(organizations).where(eq(organizations.id, input.organizationId)).for("update");
    if (!before) throw notFound("Organization not found");
    if (!(rule.from as readonly Status[]).includes(before.status)) {
      throw new DomainError(
        "invalid_status",
        `Cannot ${input.decision} an organization that is ${before.status.replace("_", " ")}.`,
        undefined,
        409,
      );
    }
    const [after] = await tx
      .update(organizations)
      .set({ status: rule.to, statusReason: rule.needsReason ? reason : null, statusChangedAt: new Date() })
      .where(eq(organizations.id, before.id))
      .returning();
    await writeAudit(tx, staff, {
      action: `organization.${input.decision}`,
      targetType: "organization",
      targetId: before.id,
      organizationId: before.id,
      before: { status: before.status, statusReason: before.statusReason },
      after: { status: after!.status, statusReason: after!.statusReason },
    });
    // A merchant's status decides whether its offers are searchable.
    if (before.kind === "merchant") await queueMerchantOffers(tx, before.id);
    for (const email of await contactEmails(tx, [before.id])) {
      await enqueueEmail(tx, email, rule.email, { organizationName: before.name, reason, url: `${links.appUrl}/app` });
    }
    return after!;
  });
}
