import { sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { amountFromSum, formatMoney } from "~/lib/money";
import { LEDGER_ACCOUNT_KIND_LABELS, LEDGER_POSTING_KIND_LABELS, labelOf } from "~/lib/labels";

/** Differences listed per check; the report still counts them all. */
export const LEDGER_CHECK_LIST_LIMIT = 50;

const LEDGER_CHECKS = {
  postings: "Postings balance: 2+ entries, one currency, sum 0",
  balances: "Kept balances equal the sums of their entries",
  conversions: "Conversions have the postings their status calls for",
  approvals: "Approvals book the conversions' own amounts",
  reversals: "Reversals negate their approvals exactly",
  payments: "Invoice payments move their amounts from receivable to cash; invoices' paid amounts equal their payments",
  payouts: "Payouts equal their items; each paid one moved its amount from payable to cash once",
} as const;

export type LedgerCheckName = keyof typeof LEDGER_CHECKS;

type LedgerDifference = {
  check: LedgerCheckName;
  description: string;
  conversionId: string | null;
  postingId: number | null;
  accountId: number | null;
};

export type LedgerReport = {
  ok: boolean;
  checks: { name: LedgerCheckName; label: string; checked: number; differences: number }[];
  /** At most LEDGER_CHECK_LIST_LIMIT per check, in id order. */
  differences: LedgerDifference[];
  /** Per currency, from the entries (not the kept balances): what merchants owe, what publishers are owed, the network's fees. */
  totals: { currency: string; receivableMinor: number; payableMinor: number; revenueMinor: number }[];
  counts: { accounts: number; postings: number; entries: number; bookedConversions: number };
};

/**
 * An amount the checker read, as a person reads it; a broken ledger may hold what formatMoney
 * refuses (an unknown currency, a sum past the safe range), and the checker must still describe it.
 */
function money(minor: string | null, currency: string): string {
  try {
    return formatMoney(amountFromSum(minor ?? "0"), currency.trim());
  } catch {
    return `${minor ?? "0"} minor units of ${currency}`;
  }
}

function accountName(row: { account_kind: string | null; organization_name: string | null; account_currency: string | null }) {
  if (!row.account_kind) return "no account";
  const kind = labelOf(LEDGER_ACCOUNT_KIND_LABELS, row.account_kind).toLowerCase();
  return `${kind}${row.organization_name ? ` of ${row.organization_name}` : ""} (${row.account_currency})`;
}

type Found<T> = { found: number; rows: T[] };

/** A check's rows that differ: the first LEDGER_CHECK_LIST_LIMIT of them, and how many there are. */
async function differing<T extends Record<string, unknown>>(tx: Database, query: SQL): Promise<Found<T>> {
  const rows = await selectRows<T & { found: number }>(
    tx,
    sql`select d.*, (count(*) over ())::int as found from (${query}) d order by d.sort_key limit ${LEDGER_CHECK_LIST_LIMIT}`,
  );
  return { found: rows[0]?.found ?? 0, rows };
}

type PostingRow = {
  posting_id: string;
  kind: string;
  currency: string;
  conversion_id: string | null;
  total: string;
  entries: number;
  foreign_entries: number;
  reverses: string | null;
};

function postingProblems(tx: Database) {
  return differing<PostingRow>(
    tx,
    sql`select p.id::text as posting_id, p.id as sort_key, p.kind, p.currency, p.conversion_id, p.reverses_posting_id::text as reverses,
        coalesce(sum(e.amount_minor), 0)::text as total, count(e.id)::int as entries,
        (count(*) filter (where a.currency <> p.currency))::int as foreign_entries
      from ledger_postings p
      left join ledger_entries e on e.posting_id = p.id
      left join ledger_accounts a on a.id = e.account_id
      group by p.id
      having coalesce(sum(e.amount_minor), 0) <> 0 or count(e.id) < 2 or count(*) filter (where a.currency <> p.currency) > 0
        or (p.kind in ('conversion_approval', 'conversion_reversal') and p.conversion_id is null)
        or ((p.kind = 'conversion_reversal') <> (p.reverses_posting_id is not null))`,
  );
}

function describePosting(row: PostingRow): string {
  const problems = [
    row.total !== "0" ? `its entries sum to ${money(row.total, row.currency)}, not zero` : null,
    row.entries < 2 ? `it has ${row.entries} ${row.entries === 1 ? "entry" : "entries"}` : null,
    row.foreign_entries > 0 ? `${row.foreign_entries} of its entries are on accounts in another currency than ${row.currency}` : null,
    row.conversion_id === null ? "it names no conversion" : null,
    row.kind === "conversion_reversal" && row.reverses === null ? "it names no posting it reverses" : null,
    row.kind !== "conversion_reversal" && row.reverses !== null
      ? `it is not a reversal yet names posting ${row.reverses} as reversed`
      : null,
  ].filter(Boolean);
  return `Posting ${row.posting_id} (${labelOf(LEDGER_POSTING_KIND_LABELS, row.kind).toLowerCase()}): ${problems.join("; ")}.`;
}

type BalanceRow = {
  account_id: string;
  account_kind: string;
  organization_name: string | null;
  account_currency: string;
  kept: string;
  summed: string;
};

function balanceProblems(tx: Database) {
  return differing<BalanceRow>(
    tx,
    sql`select a.id::text as account_id, a.id as sort_key, a.kind as account_kind, o.name as organization_name,
        a.currency as account_currency, a.balance_minor::text as kept, coalesce(s.total, 0)::text as summed
      from ledger_accounts a
      left join (select account_id, sum(amount_minor) as total from ledger_entries group by account_id) s on s.account_id = a.id
      left join organizations o on o.id = a.organization_id
      where a.balance_minor <> coalesce(s.total, 0)`,
  );
}

type ConversionRow = { conversion_id: string; status: string; is_test: boolean; approvals: number; reversals: number };

/** What a conversion should have booked: an approval once approved, a reversal too once reversed; never for a test. */
const expectedApprovals = sql`case when not c.is_test and c.status in ('approved', 'reversed') then 1 else 0 end`;
const expectedReversals = sql`case when not c.is_test and c.status = 'reversed' then 1 else 0 end`;

function conversionProblems(tx: Database) {
  return differing<ConversionRow>(
    tx,
    sql`select c.id as conversion_id, c.id as sort_key, c.status, c.is_test,
        coalesce(b.approvals, 0)::int as approvals, coalesce(b.reversals, 0)::int as reversals
      from conversions c
      left join (
        select conversion_id, count(*) filter (where kind = 'conversion_approval') as approvals,
          count(*) filter (where kind = 'conversion_reversal') as reversals
        from ledger_postings where conversion_id is not null group by conversion_id
      ) b on b.conversion_id = c.id
      where coalesce(b.approvals, 0) <> ${expectedApprovals} or coalesce(b.reversals, 0) <> ${expectedReversals}`,
  );
}

function describeConversion(row: ConversionRow): string {
  const what = `${row.is_test ? "test " : ""}${row.status} conversion ${row.conversion_id}`;
  const expected = row.is_test
    ? "none"
    : row.status === "approved"
      ? "one approval"
      : row.status === "reversed"
        ? "one approval and one reversal"
        : "none";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `The ${what} has ${plural(row.approvals, "approval posting")} and ${plural(row.reversals, "reversal posting")}; it should have ${expected}.`;
}

type ApprovalRow = {
  posting_id: string;
  conversion_id: string;
  account_kind: string;
  organization_name: string | null;
  account_currency: string;
  expected: string | null;
  booked: string | null;
  lines: number;
};

/**
 * Each approval posting's lines against the three its conversion's stored amounts make; both sides
 * keyed by (posting, account kind, organization, currency), so a line on the wrong party, in the
 * wrong currency or for the wrong amount shows as a difference.
 */
function approvalProblems(tx: Database) {
  const noOrganization = sql`'00000000-0000-0000-0000-000000000000'::uuid`;
  return differing<ApprovalRow>(
    tx,
    sql`with approval as (
        select p.id, p.conversion_id from ledger_postings p where p.kind = 'conversion_approval'
      ), expected as (
        select ap.id as posting_id, x.kind, coalesce(x.organization_id, ${noOrganization}) as organization_key, c.currency, x.amount
        from approval ap join conversions c on c.id = ap.conversion_id
        cross join lateral (values
          ('merchant_receivable'::ledger_account_kind, c.merchant_id, c.merchant_cost_minor),
          ('publisher_payable'::ledger_account_kind, c.publisher_id, -c.commission_minor),
          ('network_revenue'::ledger_account_kind, null::uuid, -c.fee_minor)
        ) as x(kind, organization_id, amount)
      ), booked as (
        select ap.id as posting_id, a.kind, coalesce(a.organization_id, ${noOrganization}) as organization_key, a.currency,
          sum(e.amount_minor) as amount, count(*) as lines
        from approval ap join ledger_entries e on e.posting_id = ap.id join ledger_accounts a on a.id = e.account_id
        group by 1, 2, 3, 4
      )
      select m.posting_id::text as posting_id, m.posting_id as sort_key, ap.conversion_id, m.kind as account_kind,
        o.name as organization_name, m.currency as account_currency, m.expected, m.booked, m.lines
      from (
        select coalesce(x.posting_id, b.posting_id) as posting_id, coalesce(x.kind, b.kind) as kind,
          coalesce(x.organization_key, b.organization_key) as organization_key, coalesce(x.currency, b.currency) as currency,
          x.amount::text as expected, b.amount::text as booked, coalesce(b.lines, 0)::int as lines
        from expected x full join booked b
          on b.posting_id = x.posting_id and b.kind = x.kind and b.organization_key = x.organization_key and b.currency = x.currency
        where x.posting_id is null or b.posting_id is null or x.amount <> b.amount or b.lines <> 1
      ) m
      join approval ap on ap.id = m.posting_id
      left join organizations o on o.id = m.organization_key`,
  );
}

function describeApproval(row: ApprovalRow): string {
  const where = `Approval posting ${row.posting_id} of conversion ${row.conversion_id}`;
  const account = accountName(row);
  if (row.booked === null)
    return `${where} has no line on the ${account}; the conversion says ${money(row.expected, row.account_currency)}.`;
  if (row.expected === null)
    return `${where} books ${money(row.booked, row.account_currency)} on the ${account}, which the conversion does not name.`;
  if (row.lines !== 1) return `${where} has ${row.lines} lines on the ${account}; an approval has one per account.`;
  return `${where} books ${money(row.booked, row.account_currency)} on the ${account}; the conversion says ${money(row.expected, row.account_currency)}.`;
}

type ReversalRow = {
  posting_id: string;
  conversion_id: string;
  reverses: string;
  reversed_conversion_id: string | null;
  reversed_kind: string | null;
  account_id: string | null;
  account_kind: string | null;
  organization_name: string | null;
  account_currency: string | null;
  approved: string | null;
  reversed: string | null;
};

/**
 * Each reversal against the posting it names: that must be its own conversion's approval, and per
 * account the reversal's lines must be the approval's with every sign flipped (same count, same sum).
 */
function reversalProblems(tx: Database) {
  return differing<ReversalRow>(
    tx,
    sql`with pair as (
        select r.id as reversal_id, r.conversion_id, r.reverses_posting_id as approval_id, ap.conversion_id as reversed_conversion_id,
          ap.kind as reversed_kind
        from ledger_postings r left join ledger_postings ap on ap.id = r.reverses_posting_id
        where r.kind = 'conversion_reversal'
      ), lines as (
        select pair.reversal_id, e.account_id, e.amount_minor as approved, 0::bigint as reversed, 1 as approved_lines, 0 as reversed_lines
        from pair join ledger_entries e on e.posting_id = pair.approval_id
        union all
        select pair.reversal_id, e.account_id, 0, -e.amount_minor, 0, 1
        from pair join ledger_entries e on e.posting_id = pair.reversal_id
      ), differing_lines as (
        select reversal_id, account_id, sum(approved)::text as approved, sum(reversed)::text as reversed
        from lines group by reversal_id, account_id
        having sum(approved) <> sum(reversed) or sum(approved_lines) <> sum(reversed_lines)
      )
      select pair.reversal_id::text as posting_id, pair.reversal_id as sort_key, pair.conversion_id, pair.approval_id::text as reverses,
        pair.reversed_conversion_id, pair.reversed_kind, d.account_id::text as account_id, a.kind as account_kind,
        o.name as organization_name, a.currency as account_currency, d.approved, d.reversed
      from pair
      left join differing_lines d on d.reversal_id = pair.reversal_id
      left join ledger_accounts a on a.id = d.account_id
      left join organizations o on o.id = a.organization_id
      where d.reversal_id is not null or pair.reversed_kind is distinct from 'conversion_approval'
        or pair.reversed_conversion_id is distinct from pair.conversion_id`,
  );
}

function describeReversal(row: ReversalRow): string {
  const where = `Reversal posting ${row.posting_id} of conversion ${row.conversion_id}`;
  if (row.reversed_kind !== "conversion_approval" || row.reversed_conversion_id !== row.conversion_id) {
    return `${where} names posting ${row.reverses}, which is not that conversion's approval.`;
  }
  const currency = row.account_currency ?? "";
  return (
    `${where} takes back ${money(row.reversed, currency)} on the ${accountName(row)}, ` +
    `where approval posting ${row.reverses} booked ${money(row.approved, currency)} (or their line counts differ).`
  );
}

type PaymentRow = {
  invoice_id: string;
  payment_id: string | null;
  posting_id: string | null;
  currency: string;
  expected: string;
  booked: string;
};

/**
 * Each invoice payment's posting against what it must be: a merchant payment in the invoice's
 * currency of two lines, cash up and the invoice's merchant's receivable down by exactly the amount;
 * and each invoice's kept paid amount against the sum of its payments.
 */
function paymentProblems(tx: Database) {
  return differing<PaymentRow>(
    tx,
    sql`select i.id as invoice_id, ip.id::text as payment_id, ip.posting_id::text as posting_id, i.currency,
        ip.amount_minor::text as expected, coalesce(l.description, 'no posting') as booked, ip.id as sort_key
      from invoice_payments ip
      join invoices i on i.id = ip.invoice_id
      left join ledger_postings p on p.id = ip.posting_id
      left join lateral (
        select string_agg(a.kind || ' ' || e.amount_minor, ', ' order by e.id) as description,
          count(*) as lines,
          count(*) filter (where a.kind = 'cash' and a.organization_id is null and e.amount_minor = ip.amount_minor) as cash,
          count(*) filter (where a.kind = 'merchant_receivable' and a.organization_id = i.merchant_id and e.amount_minor = -ip.amount_minor) as receivable,
          count(*) filter (where a.currency <> i.currency) as foreign_lines
        from ledger_entries e join ledger_accounts a on a.id = e.account_id where e.posting_id = ip.posting_id
      ) l on true
      where p.id is null or p.kind <> 'merchant_payment' or p.currency <> i.currency
        or l.lines <> 2 or l.cash <> 1 or l.receivable <> 1 or l.foreign_lines > 0
      union all
      select i.id, null, null, i.currency, coalesce(s.paid, 0)::text, i.paid_minor::text, 9223372036854775807
      from invoices i left join (select invoice_id, sum(amount_minor) as paid from invoice_payments group by invoice_id) s on s.invoice_id = i.id
      where i.paid_minor <> coalesce(s.paid, 0)`,
  );
}

function describePayment(row: PaymentRow): string {
  if (row.payment_id === null) {
    return `Invoice ${row.invoice_id} keeps ${money(row.booked, row.currency)} paid; its payments sum to ${money(row.expected, row.currency)}.`;
  }
  return (
    `Payment ${row.payment_id} of ${money(row.expected, row.currency)} on invoice ${row.invoice_id}: its posting ${row.posting_id ?? ""} ` +
    `should move exactly that from the merchant's receivable to cash; it books ${row.booked}.`
  );
}

type PayoutRow = {
  payout_id: string;
  status: string;
  currency: string;
  amount: string;
  items_total: string;
  posting_id: string | null;
  posting_kind: string | null;
  lines: number;
  payable: string | null;
  cash: string | null;
  shared: boolean;
};

/**
 * Each payout against its items (the amount is their sum) and, once paid, against its one posting:
 * a publisher payout of two lines, the amount debited to that publisher's payable and credited to
 * cash, in the payout's currency, named by no other payout. A payout not paid has no posting.
 */
function payoutProblems(tx: Database) {
  return differing<PayoutRow>(
    tx,
    sql`select p.id::text as payout_id, p.id::text as sort_key, p.status, p.currency, p.amount_minor::text as amount,
        coalesce(s.total, 0)::text as items_total, p.posting_id::text as posting_id, lp.kind as posting_kind,
        coalesce(l.lines, 0)::int as lines, l.payable::text as payable, l.cash::text as cash,
        exists (select 1 from payouts q where q.posting_id = p.posting_id and q.id <> p.id) as shared
      from payouts p
      left join (select payout_id, sum(amount_minor) as total from payout_items group by payout_id) s on s.payout_id = p.id
      left join ledger_postings lp on lp.id = p.posting_id
      left join lateral (
        select count(*) as lines,
          sum(e.amount_minor) filter (where a.kind = 'publisher_payable' and a.organization_id = p.publisher_id and a.currency = p.currency) as payable,
          sum(e.amount_minor) filter (where a.kind = 'cash' and a.organization_id is null and a.currency = p.currency) as cash
        from ledger_entries e join ledger_accounts a on a.id = e.account_id where e.posting_id = p.posting_id
      ) l on true
      where coalesce(s.total, 0) <> p.amount_minor
        or (p.status = 'paid') <> (p.posting_id is not null)
        or (p.status = 'paid' and (lp.kind is distinct from 'publisher_payout' or l.lines <> 2
          or l.payable is distinct from p.amount_minor or l.cash is distinct from -p.amount_minor))
        or exists (select 1 from payouts q where q.posting_id = p.posting_id and q.id <> p.id)`,
  );
}

function describePayout(row: PayoutRow): string {
  const currency = row.currency.trim();
  const problems = [
    row.items_total !== row.amount ? `its items sum to ${money(row.items_total, currency)}` : null,
    row.status === "paid" && row.posting_id === null ? "it is paid but names no posting" : null,
    row.status !== "paid" && row.posting_id !== null ? `it is ${row.status} yet names posting ${row.posting_id}` : null,
    row.status === "paid" && row.posting_id !== null && row.posting_kind !== "publisher_payout"
      ? `its posting ${row.posting_id} is not a publisher payout`
      : null,
    row.status === "paid" && row.posting_id !== null && (row.lines !== 2 || row.payable !== row.amount || row.cash !== `-${row.amount}`)
      ? `its posting ${row.posting_id} moves ${money(row.payable, currency)} on the publisher's payable and ${money(row.cash, currency)} on cash in ${row.lines} lines`
      : null,
    row.shared ? `another payout names its posting ${row.posting_id}` : null,
  ].filter(Boolean);
  return `Payout ${row.payout_id} of ${money(row.amount, currency)} (${row.status}): ${problems.join("; ")}.`;
}

type TotalsRow = { currency: string; receivable: string; payable: string; revenue: string };

/** The network's position per currency, summed from the entries themselves. */
function entryTotals(tx: Database) {
  return selectRows<TotalsRow>(
    tx,
    sql`select a.currency,
        coalesce(sum(s.total) filter (where a.kind = 'merchant_receivable'), 0)::text as receivable,
        coalesce(-sum(s.total) filter (where a.kind = 'publisher_payable'), 0)::text as payable,
        coalesce(-sum(s.total) filter (where a.kind = 'network_revenue'), 0)::text as revenue
      from ledger_accounts a
      join (select account_id, sum(amount_minor) as total from ledger_entries group by account_id) s on s.account_id = a.id
      group by a.currency order by a.currency`,
  );
}

const COUNTED = [
  "accounts",
  "postings",
  "approvals",
  "reversals",
  "entries",
  "conversions",
  "booked_conversions",
  "invoice_payments",
  "invoices",
  "payouts",
] as const;

/** How much each check looked at; counted as bigint, since a ledger outgrows int4 long before the safe integers. */
async function countAll(tx: Database): Promise<Record<(typeof COUNTED)[number], number>> {
  const [row] = await selectRows<Record<(typeof COUNTED)[number], string>>(
    tx,
    sql`select (select count(*) from ledger_accounts)::text as accounts,
        (select count(*) from ledger_postings)::text as postings,
        (select count(*) from ledger_postings where kind = 'conversion_approval')::text as approvals,
        (select count(*) from ledger_postings where kind = 'conversion_reversal')::text as reversals,
        (select count(*) from ledger_entries)::text as entries,
        (select count(*) from conversions)::text as conversions,
        (select count(*) from conversions c where ${expectedApprovals} = 1)::text as booked_conversions,
        (select count(*) from invoice_payments)::text as invoice_payments,
        (select count(*) from invoices)::text as invoices,
        (select count(*) from payouts)::text as payouts`,
  );
  return Object.fromEntries(COUNTED.map((k) => [k, Number(row![k])])) as Record<(typeof COUNTED)[number], number>;
}

/**
 * Reconciles the ledger from scratch, in one read-only snapshot (so bookings committing meanwhile
 * cannot show as differences): each posting balanced, each kept balance equal to its entries, each
 * conversion with exactly the postings its status calls for, each approval equal to the conversion's
 * stored amounts and each reversal its exact negation. Set-based: a handful of scans, whatever the size.
 */
export async function checkLedger(db: Database): Promise<LedgerReport> {
  return db.transaction(
    async (tx) => {
      const counts = await countAll(tx);
      const postings = await postingProblems(tx);
      const balances = await balanceProblems(tx);
      const conversions = await conversionProblems(tx);
      const approvals = await approvalProblems(tx);
      const reversals = await reversalProblems(tx);
      const payments = await paymentProblems(tx);
      const payouts = await payoutProblems(tx);
      const totals = await entryTotals(tx);

      const found: { [K in LedgerCheckName]: { checked: number; found: number; differences: LedgerDifference[] } } = {
        postings: {
          checked: counts.postings,
          found: postings.found,
          differences: postings.rows.map((r) => ({
            check: "postings",
            description: describePosting(r),
            conversionId: r.conversion_id,
            postingId: Number(r.posting_id),
            accountId: null,
          })),
        },
        balances: {
          checked: counts.accounts,
          found: balances.found,
          differences: balances.rows.map((r) => ({
            check: "balances",
            description: `Account ${r.account_id}, the ${accountName(r)}, keeps a balance of ${money(r.kept, r.account_currency)}; its entries sum to ${money(r.summed, r.account_currency)}.`,
            conversionId: null,
            postingId: null,
            accountId: Number(r.account_id),
          })),
        },
        conversions: {
          checked: counts.conversions,
          found: conversions.found,
          differences: conversions.rows.map((r) => ({
            check: "conversions",
            description: describeConversion(r),
            conversionId: r.conversion_id,
            postingId: null,
            accountId: null,
          })),
        },
        approvals: {
          checked: counts.approvals,
          found: approvals.found,
          differences: approvals.rows.map((r) => ({
            check: "approvals",
            description: describeApproval(r),
            conversionId: r.conversion_id,
            postingId: Number(r.posting_id),
            accountId: null,
          })),
        },
        reversals: {
          checked: counts.reversals,
          found: reversals.found,
          differences: reversals.rows.map((r) => ({
            check: "reversals",
            description: describeReversal(r),
            conversionId: r.conversion_id,
            postingId: Number(r.posting_id),
            accountId: r.account_id === null ? null : Number(r.account_id),
          })),
        },
        payments: {
          checked: counts.invoice_payments + counts.invoices,
          found: payments.found,
          differences: payments.rows.map((r) => ({
            check: "payments",
            description: describePayment(r),
            conversionId: null,
            postingId: r.posting_id === null ? null : Number(r.posting_id),
            accountId: null,
          })),
        },
        payouts: {
          checked: counts.payouts,
          found: payouts.found,
          differences: payouts.rows.map((r) => ({
            check: "payouts",
            description: describePayout(r),
            conversionId: null,
            postingId: r.posting_id === null ? null : Number(r.posting_id),
            accountId: null,
          })),
        },
      };
      const checks = (Object.keys(LEDGER_CHECKS) as LedgerCheckName[]).map((name) => ({
        name,
        label: LEDGER_CHECKS[name],
        checked: found[name].checked,
        differences: found[name].found,
      }));
      return {
        ok: checks.every((c) => c.differences === 0),
        checks,
        differences: checks.flatMap((c) => found[c.name].differences),
        totals: totals.map((t) => ({
          currency: t.currency,
          receivableMinor: amountFromSum(t.receivable),
          payableMinor: amountFromSum(t.payable),
          revenueMinor: amountFromSum(t.revenue),
        })),
        counts: {
          accounts: counts.accounts,
          postings: counts.postings,
          entries: counts.entries,
          bookedConversions: counts.booked_conversions,
        },
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
