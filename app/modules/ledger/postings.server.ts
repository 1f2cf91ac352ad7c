import { sql } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";

/** What an approval books, per conversion: the amounts it was priced with, never recomputed. */
type BookedConversion = {
  id: string;
  merchantId: string;
  publisherId: string;
  currency: string;
  commissionMinor: number;
  feeMinor: number;
  merchantCostMinor: number;
};

type AccountKey = {
  kind: "merchant_receivable" | "publisher_payable" | "network_revenue" | "cash";
  organizationId: string | null;
  currency: string;
};
const keyOf = (k: AccountKey) => `${k.kind}:${k.organizationId ?? ""}:${k.currency}`;

/**
 * The accounts' ids, created on first use, locked in id order: concurrent bookings touch the shared
 * network revenue account, and a fixed lock order keeps them from deadlocking.
 */
async function lockAccounts(tx: Database, keys: AccountKey[]): Promise<Map<string, number>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const rows = JSON.stringify(unique.map((k) => ({ kind: k.kind, organization_id: k.organizationId, currency: k.currency })));
  await tx.execute(sql`
    insert into ledger_accounts (kind, organization_id, currency)
    select kind, organization_id, currency
    from json_to_recordset(${rows}::json) as x(kind ledger_account_kind, organization_id uuid, currency char(3))
    order by 1, 2, 3
    on conflict on constraint ledger_accounts_key do nothing`);
  const found = await selectRows<{ id: string; kind: AccountKey["kind"]; organization_id: string | null; currency: string }>(
    tx,
    sql`select a.id::text as id, a.kind, a.organization_id, a.currency
      from ledger_accounts a
      join json_to_recordset(${rows}::json) as x(kind ledger_account_kind, organization_id uuid, currency char(3))
        on a.kind = x.kind and a.organization_id is not distinct from x.organization_id and a.currency = x.currency
      order by a.id
      for update of a`,
  );
  return new Map(found.map((r) => [keyOf({ kind: r.kind, organizationId: r.organization_id, currency: r.currency }), Number(r.id)]));
}

/**
 * The last part of a booking statement whose `entry` CTE inserted the entries (returning account_id
 * and amount_minor): each account's balance moves by the sum of exactly what was written.
 */
const moveBalances = sql`
  update ledger_accounts a set balance_minor = a.balance_minor + d.delta
  from (select account_id, sum(amount_minor)::bigint as delta from entry group by account_id) d
  where a.id = d.account_id`;

/**
 * Books each conversion's approval as one posting, debits positive: merchant receivable +cost
 * (commission + fee), publisher payable −commission, network revenue −fee. In the transaction that
 * approves them; a second approval posting for a conversion violates a unique index, so approving
 * twice can never book twice.
 */
export async function bookConversionApprovals(tx: Database, approved: BookedConversion[]) {
  if (approved.length === 0) return;
  const accounts = await lockAccounts(
    tx,
    approved.flatMap((c) => [
      { kind: "merchant_receivable" as const, organizationId: c.merchantId, currency: c.currency },
      { kind: "publisher_payable" as const, organizationId: c.publisherId, currency: c.currency },
      { kind: "network_revenue" as const, organizationId: null, currency: c.currency },
    ]),
  );
  const account = (kind: AccountKey["kind"], organizationId: string | null, currency: string) =>
    accounts.get(keyOf({ kind, organizationId, currency }))!;
  const rows = JSON.stringify(
    approved.map((c) => ({
      conversion_id: c.id,
      currency: c.currency,
      receivable: account("merchant_receivable", c.merchantId, c.currency),
      payable: account("publisher_payable", c.publisherId, c.currency),
      revenue: account("network_revenue", null, c.currency),
      cost: c.merchantCostMinor,
      commission: c.commissionMinor,
      fee: c.feeMinor,
    })),
  );
  // One statement for the postings, their entries and the balances: one round trip and one JSON parse per batch.
  await tx.execute(sql`
    with x as (
      select * from json_to_recordset(${rows}::json) as x(conversion_id uuid, currency char(3), receivable bigint, payable bigint,
        revenue bigint, cost bigint, commission bigint, fee bigint)
    ), posting as (
      insert into ledger_postings (kind, currency, conversion_id, memo)
      select 'conversion_approval', currency, conversion_id, 'Conversion approved' from x
      returning id, conversion_id
    ), entry as (
      insert into ledger_entries (posting_id, account_id, amount_minor)
      select posting.id, line.account_id, line.amount_minor
      from posting join x using (conversion_id)
      cross join lateral (values (x.receivable, x.cost), (x.payable, -x.commission), (x.revenue, -x.fee)) as line(account_id, amount_minor)
      returning account_id, amount_minor
    )
    ${moveBalances}`);
}

/**
 * Books the exact negation of each conversion's approval posting: the same accounts, every amount's
 * sign flipped, read back from the approval's entries, never recomputed.
 */
export async function bookConversionReversals(tx: Database, conversionIds: string[]) {
  if (conversionIds.length === 0) return;
  const approvals = sql`
    select p.id, p.conversion_id, p.currency from ledger_postings p
    where p.kind = 'conversion_approval' and p.conversion_id = any(${sqlTextArray(conversionIds)}::uuid[])`;
  await tx.execute(sql`
    select a.id from ledger_accounts a
    where a.id in (select e.account_id from ledger_entries e join (${approvals}) ap on ap.id = e.posting_id)
    order by a.id
    for update`);
  const [written] = await selectRows<{ reversals: number }>(
    tx,
    sql`
      with posting as (
        insert into ledger_postings (kind, currency, conversion_id, reverses_posting_id, memo)
        select 'conversion_reversal', ap.currency, ap.conversion_id, ap.id, 'Conversion reversed' from (${approvals}) ap
        returning id, reverses_posting_id
      ), entry as (
        insert into ledger_entries (posting_id, account_id, amount_minor)
        select posting.id, e.account_id, -e.amount_minor
        from posting join ledger_entries e on e.posting_id = posting.reverses_posting_id
        order by posting.id, e.id
        returning account_id, amount_minor
      ), moved as (${moveBalances} returning 1)
      select (select count(*) from posting)::int as reversals`,
  );
  if (written!.reversals !== conversionIds.length) {
    throw new Error(`Reversing ${conversionIds.length} conversions found ${written!.reversals} approval postings.`);
  }
}

/** A movement of money between two accounts that is not a conversion's: a merchant's payment, a publisher's payout. */
type Transfer = {
  kind: "merchant_payment" | "publisher_payout";
  currency: string;
  memo: string;
  /** The account debited (its signed balance rises by the amount) and the one credited. */
  debit: Omit<AccountKey, "currency">;
  credit: Omit<AccountKey, "currency">;
  amountMinor: number;
};

/**
 * Books one transfer as one posting of two entries, in the caller's transaction, and returns the
 * posting's id for the record that caused it (a payment, a payout) to point at.
 */
export async function bookTransfer(tx: Database, transfer: Transfer): Promise<number> {
  if (!Number.isSafeInteger(transfer.amountMinor) || transfer.amountMinor <= 0) {
    throw new Error(`A transfer moves a positive whole number of minor units, not ${transfer.amountMinor}.`);
  }
  const debit = { ...transfer.debit, currency: transfer.currency };
  const credit = { ...transfer.credit, currency: transfer.currency };
  const accounts = await lockAccounts(tx, [debit, credit]);
  const [row] = await selectRows<{ id: string }>(
    tx,
    sql`
      with posting as (
        insert into ledger_postings (kind, currency, memo)
        values (${transfer.kind}::ledger_posting_kind, ${transfer.currency}, ${transfer.memo})
        returning id
      ), entry as (
        insert into ledger_entries (posting_id, account_id, amount_minor)
        select posting.id, line.account_id, line.amount_minor
        from posting cross join (values (${accounts.get(keyOf(debit))!}::bigint, ${transfer.amountMinor}::bigint),
          (${accounts.get(keyOf(credit))!}::bigint, ${-transfer.amountMinor}::bigint)) as line(account_id, amount_minor)
        returning account_id, amount_minor
      ), moved as (${moveBalances} returning 1)
      select id::text as id from posting`,
  );
  return Number(row!.id);
}
