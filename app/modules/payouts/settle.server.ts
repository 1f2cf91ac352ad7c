import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "#db/client";
import { payouts } from "#db/schema";
import { formatMoney } from "~/lib/money";
import { PAYOUT_STATUS_LABELS, labelOf } from "~/lib/labels";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";
import { bookTransfer } from "../ledger/postings.server";
import { notifyPayoutSettled, type Links } from "./notify.server";
import type { markFailedSchema, markPaidSchema } from "./schemas";

/** The pending payout, locked for the settling transaction; one already settled cannot be settled again. */
async function lockPending(tx: Database, payoutId: string) {
  const [payout] = await tx.select().from(payouts).where(eq(payouts.id, payoutId)).for("update");
  if (!payout) throw notFound("Payout not found");
  if (payout.status !== "pending") {
    throw new DomainError(
      "payout_settled",
      `This payout is already ${labelOf(PAYOUT_STATUS_LABELS, payout.status).toLowerCase()}.`,
      undefined,
      409,
    );
  }
  return payout;
}

type Payout = typeof payouts.$inferSelect;

/** How a pending payout settles: the columns it sets, what its audit entry says and what its publisher is told. */
type Settlement<Values> = {
  action: "payouts.mark_paid" | "payouts.mark_failed";
  values: Values;
  audit: Record<string, unknown>;
  notice: { paid: string } | { failed: string };
};

/**
 * Settles a pending payout in one transaction: locks it, lets `settle` book what it must, stores the
 * settlement with when and by whom, audits it and emails the publisher's owners and admins.
 */
async function settlePayout<Values extends { status: "paid" | "failed" } & Partial<typeof payouts.$inferInsert>>(
  db: Database,
  staff: StaffActor,
  payoutId: string,
  links: Links,
  settle: (tx: Database, payout: Payout) => Promise<Settlement<Values>>,
) {
  return db.transaction(async (tx) => {
    const payout = await lockPending(tx, payoutId);
    const { action, values, audit, notice } = await settle(tx, payout);
    const settled = { ...values, settledAt: new Date(), settledByUserId: staff.id };
    await tx.update(payouts).set(settled).where(eq(payouts.id, payout.id));
    await writeAudit(tx, staff, {
      action,
      targetType: "payout",
      targetId: payout.id,
      organizationId: payout.publisherId,
      before: { status: payout.status },
      after: audit,
    });
    await notifyPayoutSettled(tx, payout.id, links, notice);
    return { ...payout, ...settled };
  });
}

/**
 * Records that the network sent the payout: in one transaction, the ledger moves its amount from the
 * publisher's payable to cash, the payout keeps the posting, the reference and who settled it, and
 * the change is audited and emailed to the publisher's owners and admins.
 */
export async function markPayoutPaid(db: Database, staff: StaffActor, input: z.output<typeof markPaidSchema>, links: Links) {
  return settlePayout(db, staff, input.payoutId, links, async (tx, payout) => {
    const postingId = await bookTransfer(tx, {
      kind: "publisher_payout",
      currency: payout.currency,
      memo: `Payout ${payout.id}`,
      debit: { kind: "publisher_payable", organizationId: payout.publisherId },
      credit: { kind: "cash", organizationId: null },
      amountMinor: payout.amountMinor,
    });
    return {
      action: "payouts.mark_paid",
      values: { status: "paid" as const, reference: input.reference, postingId },
      audit: { status: "paid", reference: input.reference, postingId, amount: formatMoney(payout.amountMinor, payout.currency) },
      notice: { paid: input.reference },
    };
  });
}

/**
 * Records that the payout could not be sent: nothing is booked, and its items, now on a failed payout,
 * are payable again and go out with the next run.
 */
export async function markPayoutFailed(db: Database, staff: StaffActor, input: z.output<typeof markFailedSchema>, links: Links) {
  return settlePayout(db, staff, input.payoutId, links, async () => ({
    action: "payouts.mark_failed",
    values: { status: "failed" as const, failureReason: input.reason },
    audit: { status: "failed", reason: input.reason },
    notice: { failed: input.reason },
  }));
}
