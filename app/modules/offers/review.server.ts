import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { offers } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { queueOfferIndexing } from "#search/outbox";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";
import { contactEmails } from "../orgs/contacts.server";

/** Approve makes the offer live; send back returns it to draft with a reason the merchant reads. */
export async function reviewOffer(
  db: Database,
  staff: StaffActor,
  input: { offerId: string; decision: "approve" | "send_back"; reason?: string },
  links: { appUrl: string },
) {
  const reason = input.reason?.trim() || null;
  if (input.decision === "send_back" && !reason) throw new DomainError("reason_required", "Say what the merchant must change.", "reason");
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(offers).where(eq(offers.id, input.offerId)).for("update");
    if (!before) throw notFound("Offer not found");
    if (before.status !== "in_review")
      throw new DomainError("invalid_status", `This offer is ${before.status.replace("_", " ")}, not in review.`, undefined, 409);
    const approve = input.decision === "approve";
    const [after] = await tx
      .update(offers)
      .set({
        status: approve ? "active" : "draft",
        reviewReason: approve ? null : reason,
        publishedAt: approve ? (before.publishedAt ?? new Date()) : before.publishedAt,
        updatedAt: new Date(),
      })
      .where(eq(offers.id, before.id))
      .returning();
    await queueOfferIndexing(tx, [before.id]);
    await writeAudit(tx, staff, {
      action: `offer.${input.decision}`,
      targetType: "offer",
      targetId: before.id,
      organizationId: before.merchantId,
      before: { status: before.status },
      after: { status: after!.status, reviewReason: after!.reviewReason },
    });
    for (const email of await contactEmails(tx, [before.merchantId])) {
      await enqueueEmail(tx, email, approve ? "offer_approved" : "offer_sent_back", {
        offerTitle: before.title,
        reason,
        url: `${links.appUrl}/app/offers/${before.id}`,
      });
    }
    return after!;
  });
}
