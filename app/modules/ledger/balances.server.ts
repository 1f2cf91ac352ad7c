import { sql, type SQL } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import type { LEDGER_ACCOUNT_KIND_LABELS } from "~/lib/labels";
import { amountFromSum } from "~/lib/money";
import { escapeLike } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";

type LedgerAccountKind = keyof typeof LEDGER_ACCOUNT_KIND_LABELS;

/** Accounts listed on the balances page at once, largest balance first; filters narrow the rest. */
const BALANCES_PAGE_SIZE = 100;
export const POSTINGS_PAGE_SIZE = 25;

/**
 * Entries are signed debit-positive, so what the network owes (publisher payables) and what it
 * earned (fee revenue) sit as negative balances. People read each account the way round it is
 * meant: a payable of -$8.00 is "$8.00 owed to the publisher".
 */
const CREDIT_NORMAL: ReadonlySet<string> = new Set(["publisher_payable", "network_revenue"]);
const shown = (kind: string, balanceMinor: number) => (CREDIT_NORMAL.has(kind) && balanceMinor !== 0 ? -balanceMinor : balanceMinor);

type AccountRow = {
  id: number;
  kind: LedgerAccountKind;
  organization_id: string | null;
  organization_name: string | null;
  currency: string;
  balance: string;
};

const accountColumns = sql`a.id, a.kind, a.organization_id, o.name as organization_name, a.currency,
  a.balance_minor::text as balance`;

function accountView(row: AccountRow) {
  const balanceMinor = amountFromSum(row.balance);
  return {
    id: Number(row.id),
    kind: row.kind,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    currency: row.currency,
    balanceMinor,
    /** The balance as the account's kind reads it: owed by, owed to, earned, held. */
    shownMinor: shown(row.kind, balanceMinor),
  };
}

type LedgerAccountView = ReturnType<typeof accountView>;

/** An entry as a debit or a credit of its size; a zero one on the side its account normally sits. */
function entryView(account: LedgerAccountView, amountMinor: number) {
  const side = amountMinor > 0 || (amountMinor === 0 && !CREDIT_NORMAL.has(account.kind)) ? ("debit" as const) : ("credit" as const);
  return { account, side, sizeMinor: Math.abs(amountMinor) };
}

type BalancesFilter = { kind?: LedgerAccountKind; currency?: string; organization?: string };

/**
 * The network's position per currency (what merchants owe, what publishers are owed, the fees
 * earned, cash) from the kept balances, and the accounts the filter picks, largest balance first.
 */
export async function ledgerBalances(db: Database, _staff: StaffActor, filter: BalancesFilter) {
  const sums = await selectRows<{ currency: string; kind: LedgerAccountKind; total: string; accounts: number }>(
    db,
    sql`select currency, kind, sum(balance_minor)::text as total, count(*)::int as accounts
      from ledger_accounts group by currency, kind order by currency`,
  );
  const totals = [...new Set(sums.map((s) => s.currency))].map((currency) => {
    const of = (kind: LedgerAccountKind) => {
      const row = sums.find((s) => s.currency === currency && s.kind === kind);
      return row ? shown(kind, amountFromSum(row.total)) : 0;
    };
    return {
      currency,
      receivableMinor: of("merchant_receivable"),
      payableMinor: of("publisher_payable"),
      revenueMinor: of("network_revenue"),
      cashMinor: of("cash"),
      accounts: sums.filter((s) => s.currency === currency).reduce((n, s) => n + s.accounts, 0),
    };
  });

  const where: SQL[] = [sql`true`];
  if (filter.kind) where.push(sql`a.kind = ${filter.kind}`);
  if (filter.currency) where.push(sql`a.currency = ${filter.currency}`);
  if (filter.organization) where.push(sql`o.name ilike ${`%${escapeLike(filter.organization)}%`}`);
  const rows = await selectRows<AccountRow>(
    db,
    sql`select ${accountColumns}
      from ledger_accounts a left join organizations o on o.id = a.organization_id
      where ${sql.join(where, sql` and `)}
      order by abs(a.balance_minor) desc, a.id
      limit ${BALANCES_PAGE_SIZE + 1}`,
  );
  return {
    totals,
    currencies: totals.map((t) => t.currency),
    accounts: rows.slice(0, BALANCES_PAGE_SIZE).map(accountView),
    more: rows.length > BALANCES_PAGE_SIZE,
  };
}

type PostingsFilter = { conversionId?: string; accountId?: number; before?: number };

/**
 * Postings newest first, a page at a time (keyset on the id), each with its entries: all of them,
 * a conversion's (its approval and any reversal), or those with an entry on one account.
 */
export async function ledgerPostings(db: Database, _staff: StaffActor, filter: PostingsFilter) {
  let account: LedgerAccountView | null = null;
  if (filter.accountId !== undefined) {
    const [row] = await selectRows<AccountRow>(
      db,
      sql`select ${accountColumns} from ledger_accounts a left join organizations o on o.id = a.organization_id
        where a.id = ${filter.accountId}`,
    );
    if (!row) throw notFound("No ledger account has this id.");
    account = accountView(row);
  }
  const where: SQL[] = [sql`true`];
  if (filter.conversionId) {
    // Spelled per kind so each side uses its kind's partial unique index on conversion_id.
    where.push(sql`((p.kind = 'conversion_approval' and p.conversion_id = ${filter.conversionId}::uuid)
      or (p.kind = 'conversion_reversal' and p.conversion_id = ${filter.conversionId}::uuid))`);
  }
  if (filter.accountId !== undefined) {
    where.push(sql`exists (select 1 from ledger_entries x where x.posting_id = p.id and x.account_id = ${filter.accountId})`);
  }
  if (filter.before !== undefined) where.push(sql`p.id < ${filter.before}`);
  const postings = await selectRows<{
    id: number;
    kind: "conversion_approval" | "conversion_reversal";
    currency: string;
    conversion_id: string | null;
    reverses_posting_id: number | null;
    memo: string;
    created_at: string | Date;
  }>(
    db,
    sql`select p.id, p.kind, p.currency, p.conversion_id, p.reverses_posting_id,
        p.memo, p.created_at
      from ledger_postings p
      where ${sql.join(where, sql` and `)}
      order by p.id desc
      limit ${POSTINGS_PAGE_SIZE + 1}`,
  );
  const page = postings.slice(0, POSTINGS_PAGE_SIZE);
  const entries = page.length
    ? await selectRows<AccountRow & { posting_id: number; amount: string }>(
        db,
        sql`select e.posting_id, e.amount_minor::text as amount, ${accountColumns}
          from ledger_entries e join ledger_accounts a on a.id = e.account_id left join organizations o on o.id = a.organization_id
          where e.posting_id = any(${sqlTextArray(page.map((p) => p.id))}::bigint[])
          order by e.posting_id, e.id`,
      )
    : [];
  return {
    account,
    postings: page.map((p) => ({
      id: Number(p.id),
      kind: p.kind,
      currency: p.currency,
      conversionId: p.conversion_id,
      reversesPostingId: p.reverses_posting_id === null ? null : Number(p.reverses_posting_id),
      memo: p.memo,
      createdAt: new Date(p.created_at),
      entries: entries.filter((e) => Number(e.posting_id) === Number(p.id)).map((e) => entryView(accountView(e), amountFromSum(e.amount))),
    })),
    nextBefore: postings.length > POSTINGS_PAGE_SIZE ? Number(page.at(-1)!.id) : null,
  };
}

/**
 * How many postings each conversion has (an approval, and a reversal once reversed), for the staff
 * search; per kind, so each half reads its kind's partial index on conversion_id.
 */
export async function conversionPostingCounts(db: Database, conversionIds: string[]): Promise<Map<string, number>> {
  if (conversionIds.length === 0) return new Map();
  const ids = sql`${sqlTextArray(conversionIds)}::uuid[]`;
  const rows = await selectRows<{ conversion_id: string; postings: number }>(
    db,
    sql`select conversion_id, count(*)::int as postings from ledger_postings
      where (kind = 'conversion_approval' and conversion_id = any(${ids})) or (kind = 'conversion_reversal' and conversion_id = any(${ids}))
      group by conversion_id`,
  );
  return new Map(rows.map((r) => [r.conversion_id, r.postings]));
}
