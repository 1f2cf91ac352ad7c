import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueJobs } from "#db/jobs/enqueue";
import { selectRows } from "#db/jobs/executors";
import { payoutCreatedNotice } from "#db/jobs/queues";
import type { Job, JobHandler } from "#db/jobs/runner";
import { enqueueEmail } from "#emails/outbox";
import { amountFromSum, formatMoney } from "~/lib/money";

export type Links = { appUrl: string };

type Recipient = { email: string; organization_name: string; payout_id: string; currency: string; amount_minor: string };

/** The owners of each payout's publisher, with what the email says about the payout. */
function owners(tx: Database, payouts: ReturnType<typeof sql>) {
  return selectRows<Recipient>(
    tx,
    sql`select u.email, o.name as organization_name, p.id as payout_id, p.currency, p.amount_minor::text as amount_minor
      from payouts p
      join organizations o on o.id = p.publisher_id
      join memberships m on m.organization_id = p.publisher_id and m.role = 'owner'
      join users u on u.id = m.user_id
      where ${payouts}
      order by p.id, u.email`,
  );
}

async function send(
  tx: Database,
  links: Links,
  recipients: Recipient[],
  template: "payout_created" | "payout_paid" | "payout_failed",
  detail?: string,
) {
  for (const r of recipients) {
    await enqueueEmail(tx, r.email, template, {
      organizationName: r.organization_name,
      amount: formatMoney(amountFromSum(r.amount_minor), r.currency.trim()),
      detail: detail ?? null,
      url: template === "payout_failed" ? `${links.appUrl}/app/payouts/settings` : `${links.appUrl}/app/payouts/${r.payout_id}`,
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

/** The notice job: tells the payout's publisher owners it is on its way, one transaction per payout. */
export function sendPayoutCreatedNotices(db: Database, links: Links): JobHandler<{ payoutId: string }> {
  return async (jobs: Job<{ payoutId: string }>[]) => {
    const settled = await Promise.allSettled(
      jobs.map((job) =>
        db.transaction(async (tx) => send(tx, links, await owners(tx, sql`p.id = ${job.data.payoutId}`), "payout_created")),
      ),
    );
    return settled.flatMap((r, i) => (r.status === "rejected" ? [{ id: jobs[i]!.id, error: r.reason }] : []));
  };
}

/** Tells the publisher's owners that their payout was sent (with its reference) or failed (with why). */
export async function notifyPayoutSettled(tx: Database, payoutId: string, links: Links, outcome: { paid: string } | { failed: string }) {
  const recipients = await owners(tx, sql`p.id = ${payoutId}`);
  if ("paid" in outcome) await send(tx, links, recipients, "payout_paid", outcome.paid);
  else await send(tx, links, recipients, "payout_failed", outcome.failed);
}
