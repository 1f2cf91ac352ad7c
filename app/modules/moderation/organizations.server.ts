import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { auditLog, memberships, organizations, users } from "#db/schema";
import { escapeLike } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";
import { getOrganizationProfile } from "../orgs/organizations.server";

type Status = (typeof organizations.$inferSelect)["status"];

export async function listOrganizationsForStaff(
  db: Database,
  _staff: StaffActor,
  filter: { status?: Status; kind?: "merchant" | "publisher"; q?: string },
) {
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

export async function getOrganizationForStaff(db: Database, _staff: StaffActor, organizationId: string) {
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
