import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payoutRuns } from "#db/schema";
import { amountFromSum, CURRENCIES, sumMoney } from "~/lib/money";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { currentBillingSettings, payoutMinimum } from "../invoices/billing-settings.server";
import { payableItems } from "./items.server";
import { queuePayoutsCreatedNotices } from "./notify.server";

/** Serializes payout runs: a second run waits, then sees the first's payouts and pays nothing twice. */
const PAYOUT_RUN_LOCK = sql`hashtext('switchboard:payout-run')`;

/** Why a publisher whose balance is due was not paid: it has no payout method, or it is not active. */
export type SkipReason = "no_payout_method" | "not_active";
export type SkippedPublisher = { publisherId: string; name: string; currency: string; amountMinor: number; reason: SkipReason };

export type PayoutRunResult = {
  runId: string;
  payouts: number;
  publishers: number;
  items: number;
  totals: { currency: string; amountMinor: number; payouts: number }[];
  skipped: SkippedPublisher[];
};

type DueRow = {
  publisher_id: string;
  name: string;
  currency: string;
  total: string;
  reason: SkipReason | null;
  payout_id: string | null;
  items: number;
};

/**
 * One payout run, in one transaction of a few set-based statements: for every publisher and currency
 * whose payable items (items.server.ts) sum to at least its threshold (its own, never below the
 * network minimum), that has a payout method and no payout still pending, a payout of those items with
 * the method and details as they are now. Publishers due but without a method, or not active, are
 * listed as skipped in the run's audit entry. Each payout's email to its publisher's owners and admins
 * is queued and the run audited in the same transaction. `by` is null for the monthly schedule.
 */
export async function runPayouts(db: Database, by: StaffActor | null): Promise<PayoutRunResult> {
  const settings = await currentBillingSettings(db);
  const minimums = JSON.stringify(Object.fromEntries(CURRENCIES.map((c) => [c, payoutMinimum(settings, c)])));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PAYOUT_RUN_LOCK})`);
    const [run] = await tx
      .insert(payoutRuns)
      .values({ createdByUserId: by?.id ?? null })
      .returning();
    const rows = await selectRows<DueRow>(
      tx,
      sql`
        with item as materialized (${payableItems(sql`true`, settings.payoutsRequirePaidInvoice)}),
        total as (
          select publisher_id, currency, sum(amount_minor) as total from item group by publisher_id, currency
        ),
        due as (
          select t.publisher_id, t.currency, t.total, o.name, s.method, s.details,
            case when o.status <> 'active' then 'not_active' when s.publisher_id is null then 'no_payout_method' end as reason
          from total t
          join organizations o on o.id = t.publisher_id
          left join payout_settings s on s.publisher_id = t.publisher_id
          -- A clawback can cancel new earnings: a payout is of something, whatever the threshold.
          where t.total > 0 and t.total >= greatest(coalesce((s.thresholds ->> t.currency::text)::bigint, 0), (${minimums}::jsonb ->> t.currency::text)::bigint)
            and not exists (select 1 from payouts p where p.publisher_id = t.publisher_id and p.currency = t.currency and p.status = 'pending')
        ),
        payout as (
          insert into payouts (run_id, publisher_id, currency, amount_minor, method, details)
          select ${run!.id}::uuid, publisher_id, currency, total, method, details from due where reason is null
          returning id, publisher_id, currency
        ),
        written as (
          insert into payout_items (payout_id, posting_id, conversion_id, amount_minor)
          select payout.id, item.posting_id, item.conversion_id, item.amount_minor
          from payout join item on item.publisher_id = payout.publisher_id and item.currency = payout.currency
          order by payout.id, item.posting_id
          returning payout_id
        )
        select due.publisher_id, due.name, due.currency, due.total::text as total, due.reason, payout.id as payout_id,
          coalesce(w.items, 0)::int as items
        from due left join payout on payout.publisher_id = due.publisher_id and payout.currency = due.currency
        left join (select payout_id, count(*) as items from written group by payout_id) w on w.payout_id = payout.id
        order by due.name, due.currency`,
    );
    const paid = rows.filter((r) => r.payout_id !== null);
    const totals = new Map<string, { amountMinor: number; payouts: number }>();
    for (const r of paid) {
      const t = totals.get(r.currency) ?? { amountMinor: 0, payouts: 0 };
      totals.set(r.currency, { amountMinor: sumMoney([t.amountMinor, amountFromSum(r.total)]), payouts: t.payouts + 1 });
    }
    const result: PayoutRunResult = {
      runId: run!.id,
      payouts: paid.length,
      publishers: new Set(paid.map((r) => r.publisher_id)).size,
      items: paid.reduce((n, r) => n + r.items, 0),
      totals: [...totals].map(([currency, t]) => ({ currency, ...t })).sort((a, b) => a.currency.localeCompare(b.currency)),
      skipped: rows
        .filter((r) => r.reason !== null)
        .map((r) => ({
          publisherId: r.publisher_id,
          name: r.name,
          currency: r.currency,
          amountMinor: amountFromSum(r.total),
          reason: r.reason!,
        })),
    };
    await queuePayoutsCreatedNotices(
      tx,
      paid.map((r) => r.payout_id!),
    );
    await writeAudit(tx, by, {
      action: "payouts.run",
      targetType: "payout_run",
      targetId: run!.id,
      after: { payouts: result.payouts, items: result.items, totals: result.totals, skipped: result.skipped },
    });
    return result;
  });
}
