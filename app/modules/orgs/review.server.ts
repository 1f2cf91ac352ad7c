import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { organizations } from "#db/schema";
import type { EmailTemplate } from "#emails/catalog";
import { enqueueEmail } from "#emails/outbox";
import { queueMerchantOffers } from "#search/outbox";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";
import { contactEmails } from "./contacts.server";

type Status = (typeof organizations.$inferSelect)["status"];

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
  staff: StaffActor,
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
