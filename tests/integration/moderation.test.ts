import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, organizations } from "#db/schema";
import { listAudit } from "~/modules/audit/audit.server";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { listOrganizationsForStaff } from "~/modules/moderation/organizations.server";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { acceptInvitation, inviteMember } from "~/modules/orgs/team.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, createUser, emailsTo, linkIn, links } from "#tests/support/factories";

let handle: DatabaseHandle;
let staff: StaffActor;
beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await createStaffUser(handle.db, { email: "staff@network.example", password: "staff password 1", name: "Staff" });
});
afterAll(() => handle.close());

describe("staff review of organizations", () => {
  it("approves a pending organization: status, audit row with before/after, email to owners and admins", async () => {
    const { tenant, organization, owner } = await createOrgWithOwner(handle.db, "merchant", "pending_review");
    const admin = await createUser(handle.db);
    await inviteMember(handle.db, tenant, { email: admin.user.email, role: "admin" }, links);
    const token = linkIn((await emailsTo(handle.db, admin.user.email)).at(-1)!.text, `${links.appUrl}/invitations/`)
      .split("/")
      .at(-1)!;
    await acceptInvitation(handle.db, { user: admin.user, sessionId: admin.session.id }, token);

    const updated = await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "approve" }, links);
    expect(updated.status).toBe("active");
    const [row] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "organization.approve"));
    expect(row).toMatchObject({
      actorUserId: staff.id,
      actorEmail: staff.email,
      targetId: organization.id,
      before: { status: "pending_review" },
      after: { status: "active" },
    });
    for (const email of [owner.user.email, admin.user.email]) {
      expect((await emailsTo(handle.db, email)).map((m) => m.template)).toContain("organization_approved");
    }
  });

  it("rejects and suspends only with a reason, which the emails carry", async () => {
    const { organization, owner } = await createOrgWithOwner(handle.db, "publisher", "pending_review");
    await expect(
      reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reject", reason: "  " }, links),
    ).rejects.toMatchObject({
      code: "reason_required",
      field: "reason",
    });
    await reviewOrganization(
      handle.db,
      staff,
      { organizationId: organization.id, decision: "reject", reason: "Incomplete profile: no traffic sources." },
      links,
    );
    const [org] = await handle.db.select().from(organizations).where(eq(organizations.id, organization.id));
    expect(org).toMatchObject({ status: "rejected", statusReason: "Incomplete profile: no traffic sources." });
    const mail = (await emailsTo(handle.db, owner.user.email)).find((m) => m.template === "organization_rejected")!;
    expect(mail.text).toContain("Incomplete profile: no traffic sources.");
  });

  it("walks active → suspended → active and refuses transitions the status does not allow", async () => {
    const { organization } = await createOrgWithOwner(handle.db);
    await expect(
      reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reject", reason: "x" }, links),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reactivate" }, links),
    ).rejects.toMatchObject({ status: 409 });
    await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "suspend", reason: "Chargebacks." }, links);
    const back = await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reactivate" }, links);
    expect(back).toMatchObject({ status: "active", statusReason: null });
  });

  it("answers 404 for an organization that does not exist", async () => {
    await expect(
      reviewOrganization(handle.db, staff, { organizationId: "00000000-0000-4000-8000-000000000000", decision: "approve" }, links),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("lets two staff decide at once without both winning", async () => {
    const { organization } = await createOrgWithOwner(handle.db, "merchant", "pending_review");
    const results = await Promise.allSettled([
      reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "approve" }, links),
      reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reject", reason: "No." }, links),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.targetId, organization.id));
    expect(rows.filter((r) => r.action === "organization.approve" || r.action === "organization.reject")).toHaveLength(1);
  });
});

describe("staff organization list", () => {
  it("shows each organization with its owner, member count and verification, filtered by status, kind and name", async () => {
    const { tenant, organization, owner } = await createOrgWithOwner(handle.db, "publisher", "pending_review");
    await inviteMember(handle.db, tenant, { email: "second@example.com", role: "member" }, links);
    const second = await createUser(handle.db, { email: "second@example.com" });
    const invitation = (await emailsTo(handle.db, "second@example.com")).find((m) => m.template === "invitation")!;
    const token = linkIn(invitation.text, `${links.appUrl}/invitations/`).split("/").at(-1)!;
    await acceptInvitation(handle.db, { user: second.user, sessionId: second.session.id }, token);

    const rows = await listOrganizationsForStaff(handle.db, staff, { status: "pending_review", kind: "publisher", q: organization.name });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ organization: { id: organization.id }, members: 2, ownerEmail: owner.user.email, ownerVerified: true });
    expect(await listOrganizationsForStaff(handle.db, staff, { status: "active", q: organization.name })).toHaveLength(0);
    expect(await listOrganizationsForStaff(handle.db, staff, { kind: "merchant", q: organization.name })).toHaveLength(0);
  });
});

describe("audit log filters", () => {
  it("filters by action, actor, target and date, newest first", async () => {
    const { organization } = await createOrgWithOwner(handle.db, "merchant", "pending_review");
    await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "approve" }, links);
    const byTarget = await listAudit(handle.db, staff, { targetType: "organization", targetId: organization.id });
    expect(byTarget.rows.map((r) => r.action)).toEqual(["organization.approve", "organization.created"]);
    const byActor = await listAudit(handle.db, staff, { actor: "STAFF@network", action: "organization.approve" });
    expect(byActor.rows.every((r) => r.actorEmail === staff.email && r.action === "organization.approve")).toBe(true);
    expect(byActor.rows.length).toBeGreaterThan(0);
    const future = await listAudit(handle.db, staff, { from: new Date(Date.now() + 86_400_000) });
    expect(future.rows).toHaveLength(0);
    const wildcard = await listAudit(handle.db, staff, { actor: "%" });
    expect(wildcard.rows).toHaveLength(0);
  });
});
