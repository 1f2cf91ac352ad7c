import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { memberships, merchantProfiles, niches, organizations, publisherNiches, publisherProfiles } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { setActiveOrganization, type SessionUser } from "../auth/sessions.server";
import { DomainError, notFound } from "../errors.server";
import type { z } from "zod";
import type { merchantProfileSchema, publisherProfileSchema } from "./schemas";
import { organizationFor } from "./organization-data.server";
import { assertTenant, type Tenant } from "./tenant.server";

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return base || "org";
}

/** Creates the organization pending review, with the user as its owner, and makes it the session's. */
export async function createOrganization(
  db: Database,
  actor: { user: SessionUser; sessionId: string },
  input: { kind: "merchant" | "publisher"; name: string },
) {
  return db.transaction(async (tx) => {
    const base = slugify(input.name);
    let organization: typeof organizations.$inferSelect | undefined;
    for (let n = 1; !organization; n++) {
      [organization] = await tx
        .insert(organizations)
        .values({ kind: input.kind, name: input.name, slug: n === 1 ? base : `${base}-${n}` })
        .onConflictDoNothing()
        .returning();
    }
    await tx.insert(memberships).values({ organizationId: organization.id, userId: actor.user.id, role: "owner" });
    if (input.kind === "merchant") await tx.insert(merchantProfiles).values({ organizationId: organization.id });
    else await tx.insert(publisherProfiles).values({ organizationId: organization.id });
    await setActiveOrganization(tx, actor.sessionId, organization.id);
    await writeAudit(tx, actor.user, {
      action: "organization.created",
      targetType: "organization",
      targetId: organization.id,
      organizationId: organization.id,
      after: { kind: organization.kind, name: organization.name, slug: organization.slug, status: organization.status },
    });
    return organization;
  });
}

/** Makes another of the user's organizations the session's; 404 when the user is not a member. */
export async function switchOrganization(db: Database, actor: { user: SessionUser; sessionId: string }, organizationId: string) {
  const [membership] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, actor.user.id), eq(memberships.organizationId, organizationId)));
  if (!membership) throw notFound("Organization not found");
  await setActiveOrganization(db, actor.sessionId, organizationId);
}

export async function listNiches(db: Database) {
  return db.select({ slug: niches.slug, name: niches.name }).from(niches).orderBy(niches.name);
}

export async function getOrganizationProfile(db: Database, organization: { id: string; kind: "merchant" | "publisher" }) {
  if (organization.kind === "merchant") {
    const [profile] = await db.select().from(merchantProfiles).where(eq(merchantProfiles.organizationId, organization.id));
    return { kind: "merchant" as const, profile: profile! };
  }
  return (await getPublisherProfiles(db, [organization.id])).get(organization.id)!;
}

/** Publisher profiles with their niches, in two queries however many publishers are asked for. */
export async function getPublisherProfiles(db: Database, organizationIds: string[]) {
  const result = new Map<
    string,
    { kind: "publisher"; profile: typeof publisherProfiles.$inferSelect; niches: { slug: string; name: string }[] }
  >();
  if (organizationIds.length === 0) return result;
  const [profiles, nicheRows] = await Promise.all([
    db.select().from(publisherProfiles).where(inArray(publisherProfiles.organizationId, organizationIds)),
    db
      .select({ organizationId: publisherNiches.organizationId, slug: niches.slug, name: niches.name })
      .from(publisherNiches)
      .innerJoin(niches, eq(niches.slug, publisherNiches.nicheSlug))
      .where(inArray(publisherNiches.organizationId, organizationIds))
      .orderBy(niches.name),
  ]);
  for (const profile of profiles) {
    const own = nicheRows.filter((n) => n.organizationId === profile.organizationId).map(({ slug, name }) => ({ slug, name }));
    result.set(profile.organizationId, { kind: "publisher", profile, niches: own });
  }
  return result;
}

function assertCanManage(tenant: Tenant) {
  assertTenant(tenant, { role: "admin", forbidden: "Only owners and admins can change this." });
}

export async function updateMerchantProfile(db: Database, tenant: Tenant, input: z.infer<typeof merchantProfileSchema>) {
  assertCanManage(tenant);
  assertTenant(tenant, { kind: "merchant" });
  await organizationFor(db, tenant).updateMerchantProfile({
    website: input.website,
    description: input.description,
    logoUrl: input.logoUrl ?? null,
  });
}

export async function updatePublisherProfile(db: Database, tenant: Tenant, input: z.infer<typeof publisherProfileSchema>) {
  assertCanManage(tenant);
  assertTenant(tenant, { kind: "publisher" });
  const known = new Set((await listNiches(db)).map((n) => n.slug));
  const unknown = input.niches.filter((n) => !known.has(n));
  if (unknown.length) throw new DomainError("unknown_niche", `Unknown niche: ${unknown.join(", ")}`, "niches");
  await db.transaction(async (tx) => {
    const { niches: nicheSlugs, ...profile } = input;
    await organizationFor(tx, tenant).updatePublisherProfile(profile, nicheSlugs);
  });
}

/** A rejected organization asks for another review after fixing its profile. */
export async function requestReview(db: Database, tenant: Tenant) {
  assertCanManage(tenant);
  await db.transaction(async (tx) => {
    const own = organizationFor(tx, tenant);
    const current = await own.lockForUpdate();
    if (current.status !== "rejected")
      throw new DomainError("invalid_status", "Only a rejected organization can ask for another review.", undefined, 409);
    await own.update({ status: "pending_review", statusChangedAt: new Date() });
    await writeAudit(tx, tenant.user, {
      action: "organization.review_requested",
      targetType: "organization",
      targetId: current.id,
      organizationId: current.id,
      before: { status: "rejected", statusReason: current.statusReason },
      after: { status: "pending_review" },
    });
  });
}
