import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payoutRuns, payouts } from "#db/schema";
import { formatCsv } from "~/lib/csv";
import { amountFromSum, amountToText } from "~/lib/money";
import { PAYOUT_METHOD_LABELS } from "~/lib/labels";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";
import { maskedDetails } from "./details";
import type { SkippedPublisher } from "./run.server";

/** Runs a staff page lists at once: a run a month, so years of them. */
const RUN_LIST_LIMIT = 100;

export type RunTotal = { currency: string; payouts: number; amountMinor: number; paidMinor: number; pending: number; failed: number };

/** The newest runs with, per currency, how many payouts, their amount, what is paid and what is pending or failed. */
export async function listPayoutRuns(db: Database, _staff: StaffActor) {
  const rows = await selectRows<{
    id: string;
    created_at: string;
    created_by: string | null;
    currency: string | null;
    payouts: number;
    amount: string | null;
    paid: string | null;
    pending: number;
    failed: number;
  }>(
    db,
    sql`select r.id, r.created_at::text as created_at, u.email as created_by, p.currency, count(p.id)::int as payouts,
        sum(p.amount_minor)::text as amount, sum(p.amount_minor) filter (where p.status = 'paid')::text as paid,
        (count(*) filter (where p.status = 'pending'))::int as pending, (count(*) filter (where p.status = 'failed'))::int as failed
      from (select * from payout_runs order by created_at desc limit ${RUN_LIST_LIMIT}) r
      left join users u on u.id = r.created_by_user_id
      left join payouts p on p.run_id = r.id
      group by r.id, r.created_at, u.email, p.currency
      order by r.created_at desc, p.currency`,
  );
  const runs = new Map<string, { id: string; createdAt: string; createdBy: string | null; totals: RunTotal[] }>();
  for (const r of rows) {
    const run = runs.get(r.id) ?? { id: r.id, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by, totals: [] };
    if (r.currency) {
      run.totals.push({
        currency: r.currency.trim(),
        payouts: r.payouts,
        amountMinor: amountFromSum(r.amount),
        paidMinor: amountFromSum(r.paid),
        pending: r.pending,
        failed: r.failed,
      });
    }
    runs.set(r.id, run);
  }
  return [...runs.values()];
}

const runPayoutRows = (db: Database, runId: string) =>
  selectRows<{
    id: string;
    publisher_id: string;
    publisher_name: string;
    currency: string;
    amount_minor: string;
    status: "pending" | "paid" | "failed";
    method: keyof typeof PAYOUT_METHOD_LABELS;
    details: Parameters<typeof maskedDetails>[1];
    reference: string | null;
    failure_reason: string | null;
    settled_at: string | null;
    items: number;
  }>(
    db,
    sql`select p.id, p.publisher_id, o.name as publisher_name, p.currency, p.amount_minor::text as amount_minor, p.status, p.method,
        p.details, p.reference, p.failure_reason, p.settled_at::text as settled_at,
        (select count(*) from payout_items i where i.payout_id = p.id)::int as items
      from payouts p join organizations o on o.id = p.publisher_id
      where p.run_id = ${runId}
      order by o.name, p.currency, p.id`,
  );

/** One run: its payouts with the details masked, and the publishers it skipped (from the run's audit entry). */
export async function getPayoutRun(db: Database, _staff: StaffActor, runId: string) {
  const [run] = await db.select().from(payoutRuns).where(eq(payoutRuns.id, runId));
  if (!run) throw notFound("Payout run not found");
  const rows = await runPayoutRows(db, runId);
  const [audit] = await selectRows<{ after: { skipped?: SkippedPublisher[] } | null }>(
    db,
    sql`select after from audit_log where action = 'payouts.run' and target_type = 'payout_run' and target_id = ${runId} limit 1`,
  );
  return {
    run: { id: run.id, createdAt: run.createdAt },
    payouts: rows.map((r) => ({
      id: r.id,
      publisherId: r.publisher_id,
      publisherName: r.publisher_name,
      currency: r.currency.trim(),
      amountMinor: amountFromSum(r.amount_minor),
      status: r.status,
      method: r.method,
      maskedDetails: maskedDetails(r.method, r.details),
      reference: r.reference,
      failureReason: r.failure_reason,
      settledAt: r.settled_at ? new Date(r.settled_at).toISOString() : null,
      items: r.items,
    })),
    skipped: audit?.after?.skipped ?? [],
  };
}

/**
 * The columns of the run's batch file, one row per payout still pending (those paid or failed are
 * settled already). A bank batch reads the holder, IBAN or account number and routing code, SWIFT/BIC,
 * bank name, amount, currency and reference; a PayPal Payouts batch reads the email, amount, currency,
 * a unique id (the payout's) and a note. ADR 0028 says which column each upload takes.
 */
export const PAYOUT_CSV_COLUMNS = [
  "payout_id",
  "publisher",
  "method",
  "amount",
  "currency",
  "account_holder",
  "iban",
  "account_number",
  "routing_number",
  "swift_bic",
  "bank_name",
  "paypal_email",
  "instructions",
  "reference",
] as const;

/** The run's pending payouts as CSV, with the full details: the only place staff read them. */
export async function payoutRunCsv(db: Database, _staff: StaffActor, runId: string) {
  const [run] = await db.select({ id: payoutRuns.id }).from(payoutRuns).where(eq(payoutRuns.id, runId));
  if (!run) throw notFound("Payout run not found");
  const rows = await db
    .select({ payout: payouts, publisherName: sql<string>`(select name from organizations o where o.id = ${payouts.publisherId})` })
    .from(payouts)
    .where(and(eq(payouts.runId, runId), eq(payouts.status, "pending")))
    .orderBy(desc(payouts.amountMinor), payouts.id);
  const body = rows.map(({ payout: p, publisherName }) => {
    const d = p.details;
    return [
      p.id,
      publisherName,
      PAYOUT_METHOD_LABELS[p.method],
      amountToText(p.amountMinor, p.currency),
      p.currency,
      d.accountHolder ?? null,
      d.iban ?? null,
      d.accountNumber ?? null,
      d.routingNumber ?? null,
      d.swift ?? null,
      d.bankName ?? null,
      d.paypalEmail ?? null,
      d.instructions ?? null,
      `Switchboard payout ${p.id.slice(0, 8)}`,
    ];
  });
  return formatCsv([[...PAYOUT_CSV_COLUMNS], ...body]);
}
