import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, invitations, memberships, organizations, sessions } from "#db/schema";
import {
  createOrganization,
  getOrganizationProfile,
  switchOrganization,
  updatePublisherProfile,
} from "~/modules/orgs/organizations.server";
import { publisherProfileSchema } from "~/modules/orgs/schemas";
import { acceptInvitation, changeMemberRole, inviteMember, listTeam, removeMember, revokeInvitation } from "~/modules/orgs/team.server";
import { resolveTenant } from "~/modules/orgs/tenant.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, createUser, emailsTo, linkIn, links } from "#tests/support/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const validProfile = {
  description: "Gear reviews for hikers, 50k readers a month.",
  websites: ["https://trail.example"],
  socialChannels: [],
  niches: ["outdoors", "travel"],
  trafficSources: ["content", "seo"],
  country: "US",
};

async function invite(
  tenant: Awaited<ReturnType<typeof createOrgWithOwner>>["tenant"],
  email: string,
  role: "owner" | "admin" | "member" = "member",
) {
  await inviteMember(handle.db, tenant, { email, role }, links);
  const mail = (await emailsTo(handle.db, email)).at(-1)!;
  return linkIn(mail.text, `${links.appUrl}/invitations/`).split("/").at(-1)!;
}

describe("organizations", () => {
  it("makes the creator the owner, gives a unique slug and starts pending review", async () => {
    const { user, session } = await createUser(handle.db);
    const a = await createOrganization(handle.db, { user, sessionId: session.id }, { kind: "publisher", name: "Café Ünïcode!" });
    const b = await createOrganization(handle.db, { user, sessionId: session.id }, { kind: "merchant", name: "Cafe Unicode" });
    expect(a.slug).toBe("cafe-unicode");
    expect(b.slug).toBe("cafe-unicode-2");
    expect(a.status).toBe("pending_review");
    const [m] = await handle.db.select().from(memberships).where(eq(memberships.organizationId, a.id));
    expect(m!.role).toBe("owner");
    const [s] = await handle.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(s!.activeOrganizationId).toBe(b.id);
  });

  it("saves a publisher profile, and an unknown niche changes nothing", async () => {
    const { tenant } = await createOrgWithOwner(handle.db, "publisher");
    await updatePublisherProfile(handle.db, tenant, publisherProfileSchema.parse(validProfile));
    await expect(
      updatePublisherProfile(handle.db, tenant, {
        ...publisherProfileSchema.parse(validProfile),
        niches: ["outdoors", "knitting"],
        country: "FR",
      }),
    ).rejects.toMatchObject({
      code: "unknown_niche",
    });
    const profile = await getOrganizationProfile(handle.db, tenant.organization);
    expect(profile.kind === "publisher" && profile.profile.country).toBe("US");
    expect(profile.kind === "publisher" && profile.niches.map((n) => n.slug)).toEqual(["outdoors", "travel"]);
  });

  it("validates profile input with readable messages and drops rows left empty", () => {
    const bad = publisherProfileSchema.safeParse({
      ...validProfile,
      websites: ["http://insecure.example", ""],
      trafficSources: [],
      country: "XX",
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("websites.0: Each website must be a full https:// address");
    expect(messages).toContain("trafficSources: Choose at least one traffic source");
    expect(messages).toContain("country: Choose your country");
    const blank = publisherProfileSchema.parse({
      ...validProfile,
      websites: ["", "https://ok.example"],
      socialChannels: [{ platform: "", url: "" }],
    });
    expect(blank.websites).toEqual(["https://ok.example"]);
    expect(blank.socialChannels).toEqual([]);
  });
});

describe("team", () => {
  it("invites by email; only that address can accept; accepting joins with the role and verifies the address", async () => {
    const { tenant, organization } = await createOrgWithOwner(handle.db);
    const invitee = await createUser(handle.db);
    const stranger = await createUser(handle.db);
    const token = await invite(tenant, invitee.user.email, "admin");
    await expect(acceptInvitation(handle.db, { user: stranger.user, sessionId: stranger.session.id }, token)).rejects.toMatchObject({
      code: "wrong_account",
    });
    await acceptInvitation(handle.db, { user: invitee.user, sessionId: invitee.session.id }, token);
    const joined = await resolveTenant(handle.db, invitee.user, organization.id);
    expect(joined?.role).toBe("admin");
    await expect(acceptInvitation(handle.db, { user: invitee.user, sessionId: invitee.session.id }, token)).rejects.toMatchObject({
      code: "invalid_invitation",
    });
  });

  it("refuses to invite an existing member and replaces an open invitation", async () => {
    const { tenant, owner } = await createOrgWithOwner(handle.db);
    await expect(inviteMember(handle.db, tenant, { email: owner.user.email, role: "member" }, links)).rejects.toMatchObject({
      code: "already_member",
    });
    const first = await invite(tenant, "twice@example.com");
    await invite(tenant, "twice@example.com");
    const team = await listTeam(handle.db, tenant);
    expect(team.invitations.filter((i) => i.email === "twice@example.com")).toHaveLength(1);
    const me = await createUser(handle.db, { email: `twice-${Date.now()}@example.com` });
    await expect(acceptInvitation(handle.db, { user: me.user, sessionId: me.session.id }, first)).rejects.toMatchObject({
      code: "invalid_invitation",
    });
  });

  it("keeps at least one owner and lets only owners manage owners", async () => {
    const { tenant, organization } = await createOrgWithOwner(handle.db);
    const [ownerMembership] = await handle.db.select().from(memberships).where(eq(memberships.organizationId, organization.id));
    await expect(changeMemberRole(handle.db, tenant, { membershipId: ownerMembership!.id, role: "member" })).rejects.toMatchObject({
      code: "last_owner",
    });
    await expect(removeMember(handle.db, tenant, ownerMembership!.id)).rejects.toMatchObject({ code: "last_owner" });

    const admin = await createUser(handle.db);
    await acceptInvitation(handle.db, { user: admin.user, sessionId: admin.session.id }, await invite(tenant, admin.user.email, "admin"));
    const adminTenant = (await resolveTenant(handle.db, admin.user, organization.id))!;
    await expect(changeMemberRole(handle.db, adminTenant, { membershipId: ownerMembership!.id, role: "member" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(inviteMember(handle.db, adminTenant, { email: "boss@example.com", role: "owner" }, links)).rejects.toMatchObject({
      code: "forbidden",
    });

    const team = await listTeam(handle.db, tenant);
    const adminMembership = team.members.find((m) => m.userId === admin.user.id)!;
    await changeMemberRole(handle.db, tenant, { membershipId: adminMembership.id, role: "owner" });
    await changeMemberRole(handle.db, tenant, { membershipId: ownerMembership!.id, role: "member" });
    const actions = await handle.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.organizationId, organization.id));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["membership.invited", "membership.joined", "membership.role_changed"]),
    );
  });

  it("lets a member leave but not remove others", async () => {
    const { tenant, organization } = await createOrgWithOwner(handle.db);
    const member = await createUser(handle.db);
    await acceptInvitation(handle.db, { user: member.user, sessionId: member.session.id }, await invite(tenant, member.user.email));
    const memberTenant = (await resolveTenant(handle.db, member.user, organization.id))!;
    const team = await listTeam(handle.db, tenant);
    const ownerRow = team.members.find((m) => m.role === "owner")!;
    const memberRow = team.members.find((m) => m.userId === member.user.id)!;
    await expect(removeMember(handle.db, memberTenant, ownerRow.id)).rejects.toMatchObject({ code: "forbidden" });
    await removeMember(handle.db, memberTenant, memberRow.id);
    expect(await resolveTenant(handle.db, member.user, organization.id)).toBeNull();
  });
});

describe("tenant isolation", () => {
  it("organization A can neither read nor change organization B's members, invitations or profile", async () => {
    const a = await createOrgWithOwner(handle.db);
    const b = await createOrgWithOwner(handle.db, "publisher");
    await invite(b.tenant, "b-invitee@example.com");
    const bTeam = await listTeam(handle.db, b.tenant);
    const bMember = bTeam.members[0]!;
    const bInvitation = bTeam.invitations[0]!;

    const aTeam = await listTeam(handle.db, a.tenant);
    expect(aTeam.members.map((m) => m.id)).not.toContain(bMember.id);
    expect(aTeam.invitations.map((i) => i.id)).not.toContain(bInvitation.id);

    await expect(changeMemberRole(handle.db, a.tenant, { membershipId: bMember.id, role: "member" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(removeMember(handle.db, a.tenant, bMember.id)).rejects.toMatchObject({ status: 404 });
    await expect(revokeInvitation(handle.db, a.tenant, bInvitation.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      switchOrganization(handle.db, { user: a.owner.user, sessionId: a.owner.session.id }, b.organization.id),
    ).rejects.toMatchObject({ status: 404 });
    // A session pointed at B by hand still resolves to the user's own organization.
    const forced = await resolveTenant(handle.db, a.owner.user, b.organization.id);
    expect(forced?.organization.id).toBe(a.organization.id);

    const [stillThere] = await handle.db.select().from(memberships).where(eq(memberships.id, bMember.id));
    expect(stillThere!.role).toBe("owner");
    const [open] = await handle.db.select().from(invitations).where(eq(invitations.id, bInvitation.id));
    expect(open!.revokedAt).toBeNull();
    const [bOrg] = await handle.db.select().from(organizations).where(eq(organizations.id, b.organization.id));
    expect(bOrg!.status).toBe("active");
  });
});
