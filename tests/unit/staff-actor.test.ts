import { describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { listAudit } from "~/modules/audit/audit.server";
import { staffActorFor, type StaffActor } from "~/modules/auth/staff.server";
import { listOrganizationsForStaff } from "~/modules/moderation/organizations.server";

const member = { id: "00000000-0000-4000-8000-000000000001", email: "member@example.com" };

describe("StaffActor", () => {
  it("comes only from a staff account", () => {
    expect(staffActorFor({ ...member, isStaff: false })).toBeNull();
    expect(staffActorFor({ ...member, isStaff: true })).toEqual(member);
  });

  // tsc fails if any of these expected errors disappears, so this test fails when the brand stops working.
  it("cannot be forged from a user or an object literal", () => {
    // @ts-expect-error A signed-in user is not a staff actor.
    const fromUser: StaffActor = member;
    // @ts-expect-error Nor is an object literal with the same fields.
    const fromLiteral: StaffActor = { id: member.id, email: member.email };
    // Typed, never called: staff reads refuse a plain user as well as writes do.
    const forgedReads = (db: Database) => [
      // @ts-expect-error The audit log is staff-only.
      listAudit(db, member, {}),
      // @ts-expect-error So is the organization list.
      listOrganizationsForStaff(db, member, {}),
    ];
    expect([fromUser, fromLiteral, typeof forgedReads]).toEqual([member, member, "function"]);
  });
});
