import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { invoiceItems, invoiceLines, invoices } from "#db/schema";
import { DAY_MS } from "~/lib/time";
import { enqueueEmail } from "#emails/outbox";
import { amountFromSum, formatMoney, sumMoney } from "~/lib/money";
import type { StaffActor } from "../auth/staff.server";
import { writeAudit } from "../audit/audit.server";
import { notFound } from "../errors.server";
import { contactEmails } from "../orgs/contacts.server";
import { currentBillingSettings } from "./billing-settings.server";
import { formatInvoiceNumber } from "./invoice-format";
import { onLiveInvoice } from "./invoice-items.server";

/** An approval or reversal not yet on any invoice that is not void, with the amounts it bills (a reversal's negative). */
type UnbilledPosting = {
  posting_id: string;
  booked_at: string;
  conversion_id: string;
  offer_id: string;
  offer_name: string;
  currency: string;
  reversal: boolean;
  commission: string;
  fee: string;
  total: string;
};

export type IssuedInvoice = { id: string; number: number; currency: string; totalMinor: number };

/** What one issue did for a merchant: the invoices it made, and the currencies it carried forward (net ≤ 0). */
export type IssueOutcome = { issued: IssuedInvoice[]; carriedForward: string[] };

/**
 * A transaction-scoped lock per merchant: two issues for one merchant run one after the other, so the
 * second sees the first's items and bills nothing twice. Keyed by a hash; a collision only makes two
 * merchants' issues wait on each other.
 */
const INVOICE_LOCK_CLASS = 7_001;
async function lockMerchantBilling(tx: Database, merchantId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${INVOICE_LOCK_CLASS}, hashtext(${merchantId}))`);
}

/** The merchant's approval and reversal postings booked before `end` that no invoice (void ones aside) bills yet. */
function unbilledPostings(tx: Database, merchantId: string, end: Date) {
  return selectRows<UnbilledPosting>(
    tx,
    sql`select p.id::text as posting_id, to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as booked_at,
        c.id as conversion_id, c.offer_id, o.title as offer_name, c.currency, p.kind = 'conversion_reversal' as reversal,
        (s.sign * c.commission_minor)::text as commission, (s.sign * c.fee_minor)::text as fee,
        (s.sign * c.merchant_cost_minor)::text as total
      from ledger_postings p
      join conversions c on c.id = p.conversion_id
      join offers o on o.id = c.offer_id
      cross join lateral (select case when p.kind = 'conversion_reversal' then -1 else 1 end as sign) s
      where c.merchant_id = ${merchantId} and p.kind in ('conversion_approval', 'conversion_reversal')
        and p.created_at < ${end.toISOString()}::timestamptz
        and not ${onLiveInvoice(sql`p.id`)}
      order by p.id`,
  );
}

/** The next invoice number; the sequence row stays locked until the transaction ends, so a rollback leaves no gap. */
async function nextInvoiceNumber(tx: Database): Promise<number> {
  const [row] = await selectRows<{ number: number }>(
    tx,
    sql`update invoice_sequence set last_number = last_number + 1 returning last_number as number`,
  );
  return row!.number;
}

const totals = (rows: UnbilledPosting[]) => ({
  commissionMinor: sumMoney(rows.map((r) => amountFromSum(r.commission))),
  feeMinor: sumMoney(rows.map((r) => amountFromSum(r.fee))),
  totalMinor: sumMoney(rows.map((r) => amountFromSum(r.total))),
});

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

const dueDate = (issuedAt: Date, dueDays: number) => new Date(issuedAt.getTime() + dueDays * DAY_MS);

/** Items written per statement: well under PostgreSQL's 65,535 bind parameters. */
const ITEM_BATCH = 5_000;

type IssueRequest = {
  merchantId: string;
  /** The period's nominal start; the invoice's start is earlier when it picks up older unbilled postings. */
  periodStart: Date | null;
  periodEnd: Date;
  issuedAt: Date;
  issuedBy: StaffActor | null;
  links: { appUrl: string };
};

/**
 * Issues the merchant's invoices, one per currency, in the caller's transaction: every approval and
 * reversal booked before the period's end that no live invoice bills, lines per offer, a gapless
 * number each. A currency whose net is zero or less gets no invoice: its postings stay unbilled and
 * are netted into the next one (ADR 0027).
 */
export async function issueMerchantInvoices(tx: Database, request: IssueRequest): Promise<IssueOutcome> {
  await lockMerchantBilling(tx, request.merchantId);
  const rows = await unbilledPostings(tx, request.merchantId, request.periodEnd);
  const { invoiceDueDays } = await currentBillingSettings(tx);
  const outcome: IssueOutcome = { issued: [], carriedForward: [] };
  if (rows.length === 0) return outcome;
  const [merchant] = await selectRows<{ name: string }>(tx, sql`select name from organizations where id = ${request.merchantId}`);
  const contacts = await contactEmails(tx, [request.merchantId]);
  for (const [currency, postings] of [...groupBy(rows, (r) => r.currency)].sort(([a], [b]) => a.localeCompare(b))) {
    const sums = totals(postings);
    if (sums.totalMinor <= 0) {
      outcome.carriedForward.push(currency);
      continue;
    }
    const earliest = new Date(postings.reduce((min, p) => (p.booked_at < min ? p.booked_at : min), postings[0]!.booked_at));
    const periodStart = request.periodStart && request.periodStart < earliest ? request.periodStart : earliest;
    const [invoice] = await tx
      .insert(invoices)
      .values({
        number: await nextInvoiceNumber(tx),
        merchantId: request.merchantId,
        currency,
        periodStart,
        periodEnd: request.periodEnd,
        ...sums,
        issuedAt: request.issuedAt,
        dueAt: dueDate(request.issuedAt, invoiceDueDays),
        issuedByUserId: request.issuedBy?.id ?? null,
      })
      .returning({ id: invoices.id, number: invoices.number });
    const byOffer = [...groupBy(postings, (p) => p.offer_id)].sort(([, a], [, b]) => a[0]!.offer_name.localeCompare(b[0]!.offer_name));
    await tx.insert(invoiceLines).values(
      byOffer.map(([offerId, lines]) => ({
        invoiceId: invoice!.id,
        offerId,
        offerName: lines[0]!.offer_name,
        approvals: lines.filter((l) => !l.reversal).length,
        reversals: lines.filter((l) => l.reversal).length,
        ...totals(lines),
      })),
    );
    for (let i = 0; i < postings.length; i += ITEM_BATCH) {
      await tx.insert(invoiceItems).values(
        postings.slice(i, i + ITEM_BATCH).map((p) => ({
          invoiceId: invoice!.id,
          postingId: Number(p.posting_id),
          conversionId: p.conversion_id,
          offerId: p.offer_id,
          commissionMinor: amountFromSum(p.commission),
          feeMinor: amountFromSum(p.fee),
          totalMinor: amountFromSum(p.total),
        })),
      );
    }
    if (request.issuedBy) {
      await writeAudit(tx, request.issuedBy, {
        action: "invoice.issue",
        targetType: "invoice",
        targetId: invoice!.id,
        organizationId: request.merchantId,
        after: { number: invoice!.number, currency, ...sums, items: postings.length },
      });
    }
    const dueAt = dueDate(request.issuedAt, invoiceDueDays);
    const props = {
      merchantName: merchant!.name,
      invoiceNumber: formatInvoiceNumber(invoice!.number),
      total: formatMoney(sums.totalMinor, currency),
      dueOn: dueAt.toISOString().slice(0, 10),
      url: `${request.links.appUrl}/app/invoices/${invoice!.id}`,
    };
    for (const address of contacts) await enqueueEmail(tx, address, "invoice_issued", props);
    outcome.issued.push({ id: invoice!.id, number: invoice!.number, currency, totalMinor: sums.totalMinor });
  }
  return outcome;
}

/** The calendar month before the one `now` is in, in UTC: [first of last month, first of this month). */
export function previousMonth(now: Date): { start: Date; end: Date } {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end };
}

/**
 * The monthly run: last month's invoices for every merchant with unbilled postings booked before the
 * month's end, one transaction per merchant (a failure leaves the others issued; a rerun finds
 * nothing left to bill for those).
 */
export async function issueMonthlyInvoices(db: Database, now: Date, links: { appUrl: string }) {
  const { start, end } = previousMonth(now);
  const merchants = await selectRows<{ merchant_id: string }>(
    db,
    sql`select distinct c.merchant_id from ledger_postings p join conversions c on c.id = p.conversion_id
      where p.kind in ('conversion_approval', 'conversion_reversal') and p.created_at < ${end.toISOString()}::timestamptz
        and not ${onLiveInvoice(sql`p.id`)}
      order by 1`,
  );
  let issued = 0;
  for (const { merchant_id } of merchants) {
    const outcome = await db.transaction((tx) =>
      issueMerchantInvoices(tx, { merchantId: merchant_id, periodStart: start, periodEnd: end, issuedAt: now, issuedBy: null, links }),
    );
    issued += outcome.issued.length;
  }
  return { merchants: merchants.length, issued };
}

/**
 * Staff issue a merchant's invoices now, out of the monthly rhythm: from the end of its last live
 * invoice (else its first unbilled posting) to now.
 */
export async function issueInvoicesNow(
  db: Database,
  staff: StaffActor,
  merchantId: string,
  now: Date,
  links: { appUrl: string },
): Promise<IssueOutcome> {
  return db.transaction(async (tx) => {
    const [merchant] = await selectRows<{ kind: string }>(tx, sql`select kind from organizations where id = ${merchantId}`);
    if (merchant?.kind !== "merchant") throw notFound("Merchant not found");
    const [last] = await selectRows<{ period_end: Date | string | null }>(
      tx,
      sql`select max(period_end) as period_end from invoices where merchant_id = ${merchantId} and status <> 'void'`,
    );
    const periodStart = last?.period_end ? new Date(last.period_end) : null;
    return issueMerchantInvoices(tx, { merchantId, periodStart, periodEnd: now, issuedAt: now, issuedBy: staff, links });
  });
}
