import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueJobs } from "#db/jobs/enqueue";
import { payoutCreatedNotice } from "#db/jobs/queues";
import type { Job, JobHandler } from "#db/jobs/runner";
import { organizations, payouts } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { formatMoney } from "~/lib/money";
import { contactEmails } from "../orgs/contacts.server";

export type Links = { appUrl: string };

/** Emails the payout's publisher contacts (owners and admins) what the template says about the payout. */
async function send(
  tx: Database,
  links: Links,
  payoutId: string,
  template: "payout_created" | "payout_paid" | "payout_failed",
  detail?: string,
) {
  const [payout] = await tx
    .select({
      publisherId: payouts.publisherId,
      organizationName: organizations.name,
      currency: payouts.currency,
      amountMinor: payouts.amountMinor,
    })
    .from(payouts)
    .innerJoin(organizations, eq(organizations.id, payouts.publisherId))
    .where(eq(payouts.id, payoutId));
  if (!payout) return;
  for (const email of await contactEmails(tx, [payout.publisherId])) {
    await enqueueEmail(tx, email, template, {
      organizationName: payout.organizationName,
      amount: formatMoney(payout.amountMinor, payout.currency.trim()),
      detail: detail ?? null,
      url: template === "payout_failed" ? `${links.appUrl}/app/payouts/settings` : `${links.appUrl}/app/payouts/${payoutId}`,
    });
  }
}

/** Queues, in the run's transaction, one notice per payout the run made: each exists only if the run commits. */
export async function queuePayoutsCreatedNotices(tx: Database, payoutIds: string[]) {
  await enqueueJobs(
    tx,
    payoutCreatedNotice,
    payoutIds.map((payoutId) => ({ payoutId })),
  );
}

/** The notice job: tells the payout's publisher owners and admins it is on its way, one transaction per payout. */
export function sendPayoutCreatedNotices(db: Database, links: Links): JobHandler<{ payoutId: string }> {
  return async (jobs: Job<{ payoutId: string }>[]) => {
    const settled = await Promise.allSettled(
      jobs.map((job) => db.transaction((tx) => send(tx, links, job.data.payoutId, "payout_created"))),
    );
    return settled.flatMap((r, i) => (r.status === "rejected" ? [{ id: jobs[i]!.id, error: r.reason }] : []));
  };
}

/** Tells the publisher's owners and admins that their payout was sent (with its reference) or failed (with why). */
export async function notifyPayoutSettled(tx: Database, payoutId: string, links: Links, outcome: { paid: string } | { failed: string }) {
  if ("paid" in outcome) await send(tx, links, payoutId, "payout_paid", outcome.paid);
  else await send(tx, links, payoutId, "payout_failed", outcome.failed);
}
