import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { invoiceLines, invoicePayments, invoices, organizations } from "#db/schema";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { openMinorOf } from "./invoice-format";

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceStatus = Invoice["status"];
export type InvoiceLine = typeof invoiceLines.$inferSelect;

export type InvoiceFilter = {
  status?: InvoiceStatus;
  /** Issued and past due at `now`. */
  overdue?: boolean;
  /** Issued at or after. */
  from?: Date;
  /** Issued before. */
  until?: Date;
};

/** Newest first; a page ends at its last invoice's number, and the next page starts below it. */
export const INVOICE_PAGE_SIZE = 50;

function filtered(filter: InvoiceFilter, now: Date): (SQL | undefined)[] {
  return [
    filter.status ? eq(invoices.status, filter.status) : undefined,
    filter.overdue ? and(eq(invoices.status, "issued"), lt(invoices.dueAt, now)) : undefined,
    filter.from ? gte(invoices.issuedAt, filter.from) : undefined,
    filter.until ? lt(invoices.issuedAt, filter.until) : undefined,
  ];
}

async function listPage(db: Database, scope: SQL | undefined, filter: InvoiceFilter, after: number | null, now: Date, limit: number) {
  const rows = await db
    .select({ invoice: invoices, merchantName: organizations.name })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.merchantId))
    .where(and(scope, ...filtered(filter, now), after === null ? undefined : lt(invoices.number, after)))
    .orderBy(desc(invoices.number))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? page.at(-1)!.invoice.number : null };
}

/** An invoice with what it bills per offer and the payments received against it. */
async function details(db: Database, scope: SQL | undefined, invoiceId: string) {
  const [row] = await db
    .select({ invoice: invoices, merchantName: organizations.name })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.merchantId))
    .where(and(scope, eq(invoices.id, invoiceId)));
  if (!row) throw notFound("Invoice not found");
  const [lines, payments] = await Promise.all([
    db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.offerName), asc(invoiceLines.id)),
    db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId)).orderBy(asc(invoicePayments.id)),
  ]);
  return { ...row, openMinor: openMinorOf(row.invoice), lines, payments };
}

export type InvoiceDetails = Awaited<ReturnType<typeof details>>;

/** One conversion's posting an invoice bills, as its CSV lists it. */
export type InvoiceConversion = {
  posting_kind: "conversion_approval" | "conversion_reversal";
  booked_at: string;
  conversion_id: string;
  order_id: string;
  event: string;
  offer_name: string;
  publisher_name: string;
  status: string;
  sale_amount: string | null;
  commission: string;
  fee: string;
  total: string;
};

/** The conversions an invoice bills; it takes the invoice row, so the caller has read it through its scope already. */
export function invoiceConversions(db: Database, invoice: Invoice) {
  return selectRows<InvoiceConversion>(
    db,
    sql`select p.kind as posting_kind, to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as booked_at,
        c.id as conversion_id, c.order_id, c.event, l.offer_name, pub.name as publisher_name, c.status,
        c.sale_amount_minor::text as sale_amount, i.commission_minor::text as commission, i.fee_minor::text as fee,
        i.total_minor::text as total
      from invoice_items i
      join ledger_postings p on p.id = i.posting_id
      join conversions c on c.id = i.conversion_id
      join organizations pub on pub.id = c.publisher_id
      join (select distinct on (offer_id) offer_id, offer_name from invoice_lines where invoice_id = ${invoice.id}) l on l.offer_id = i.offer_id
      where i.invoice_id = ${invoice.id}
      order by i.id`,
  );
}

/**
 * A merchant's invoices, bound at creation: another organization's invoice is the same 404 as one
 * that does not exist, and a publisher has none (404, like every merchant-only page).
 */
export function invoicesFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const scope = eq(invoices.merchantId, tenant.organization.id);
  return {
    /** Newest first, a page at a time below the cursor (the last invoice number seen). */
    list(filter: InvoiceFilter, after: number | null, now = new Date(), limit = INVOICE_PAGE_SIZE) {
      return listPage(db, scope, filter, after, now, limit);
    },
    get(invoiceId: string) {
      return details(db, scope, invoiceId);
    },
    /** The lines of several invoices in one read (a list page's), per invoice id, each in the order `get` gives them. */
    async linesOf(invoiceIds: string[]): Promise<Map<string, InvoiceLine[]>> {
      const byInvoice = new Map<string, InvoiceLine[]>();
      if (invoiceIds.length === 0) return byInvoice;
      const rows = await db
        .select({ line: invoiceLines })
        .from(invoiceLines)
        .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
        .where(and(scope, inArray(invoiceLines.invoiceId, invoiceIds)))
        .orderBy(asc(invoiceLines.offerName), asc(invoiceLines.id));
      for (const { line } of rows) {
        const lines = byInvoice.get(line.invoiceId);
        if (lines) lines.push(line);
        else byInvoice.set(line.invoiceId, [line]);
      }
      return byInvoice;
    },
    /** The conversions the invoice bills, one row per approval or reversal. */
    async conversions(invoiceId: string) {
      const { invoice } = await details(db, scope, invoiceId);
      return invoiceConversions(db, invoice);
    },
  };
}

/** Every merchant's invoices for staff, optionally one merchant's, with the merchants that have any (the filter's choices). */
export async function listInvoicesForStaff(
  db: Database,
  _staff: StaffActor,
  filter: InvoiceFilter & { merchantId?: string },
  after: number | null,
  now = new Date(),
) {
  const scope = filter.merchantId ? eq(invoices.merchantId, filter.merchantId) : undefined;
  const [page, merchants] = await Promise.all([
    listPage(db, scope, filter, after, now, INVOICE_PAGE_SIZE),
    db
      .selectDistinct({ id: organizations.id, name: organizations.name })
      .from(invoices)
      .innerJoin(organizations, eq(organizations.id, invoices.merchantId))
      .orderBy(organizations.name, organizations.id),
  ]);
  return { ...page, merchants };
}

export async function getInvoiceForStaff(db: Database, _staff: StaffActor, invoiceId: string) {
  const invoice = await details(db, undefined, invoiceId);
  const [items] = await selectRows<{ approvals: number; reversals: number; conversions: number }>(
    db,
    sql`select count(*) filter (where p.kind = 'conversion_approval')::int as approvals,
        count(*) filter (where p.kind = 'conversion_reversal')::int as reversals, count(distinct i.conversion_id)::int as conversions
      from invoice_items i join ledger_postings p on p.id = i.posting_id where i.invoice_id = ${invoiceId}`,
  );
  return { ...invoice, items: items! };
}

/** The merchants with an issued invoice past due at `now`: staff see them flagged. */
export async function overdueMerchantIds(db: Database, now = new Date()): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ merchantId: invoices.merchantId })
    .from(invoices)
    .where(and(eq(invoices.status, "issued"), lt(invoices.dueAt, now)));
  return new Set(rows.map((r) => r.merchantId));
}

/** A merchant's invoicing at a glance for its staff page: how many invoices, how many open, whether one is overdue. */
export async function merchantInvoiceSummary(db: Database, _staff: StaffActor, merchantId: string, now = new Date()) {
  const [row] = await db
    .select({
      invoices: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${invoices.status} = 'issued'))::int`,
      overdue: sql<boolean>`coalesce(bool_or(${invoices.status} = 'issued' and ${invoices.dueAt} < ${now.toISOString()}::timestamptz), false)`,
    })
    .from(invoices)
    .where(eq(invoices.merchantId, merchantId));
  return row!;
}
