import { z } from "zod";
import type { Database } from "#db/client";
import { DomainError } from "../errors.server";
import { formatInvoiceNumber, isOverdue, openMinorOf } from "../invoices/invoice-format";
import { invoicesFor } from "../invoices/invoice-data.server";
import type { Tenant } from "../orgs/tenant.server";
import { payoutsFor } from "../payouts/payout-data.server";
import { parseReportQuery } from "../reports/report-query";
import { readReportTable, tenantReportScope, type ReportRow } from "../reports/reports.server";
import { cursorOf, dayRange, encodeCursor } from "./cursor";
import type { ListQuery } from "./schemas";

/*
 * The API's money resources: invoices, payouts and reports, read through the same domain functions
 * as the app's pages, spelled as the API answers.
 */

/** The merchant's invoices, newest first, with their lines per offer. */
export async function listApiInvoices(db: Database, tenant: Tenant, query: ListQuery & { status?: "issued" | "paid" | "void" }) {
  const after = cursorOf(query, z.object({ number: z.number().int() }));
  const invoices = invoicesFor(db, tenant);
  const now = new Date();
  const page = await invoices.list({ status: query.status, ...dayRange(query) }, after?.number ?? null, now, query.limit);
  const linesByInvoice = await invoices.linesOf(page.rows.map(({ invoice }) => invoice.id));
  const data = page.rows.map(({ invoice }) => ({
    id: invoice.id,
    number: formatInvoiceNumber(invoice.number),
    status: invoice.status,
    currency: invoice.currency,
    period_start: invoice.periodStart.toISOString(),
    period_end: invoice.periodEnd.toISOString(),
    commission_minor: invoice.commissionMinor,
    fee_minor: invoice.feeMinor,
    total_minor: invoice.totalMinor,
    paid_minor: invoice.paidMinor,
    open_minor: openMinorOf(invoice),
    issued_at: invoice.issuedAt.toISOString(),
    due_at: invoice.dueAt.toISOString(),
    overdue: isOverdue(invoice, now),
    void_reason: invoice.voidReason,
    lines: (linesByInvoice.get(invoice.id) ?? []).map((l) => ({
      offer_id: l.offerId,
      offer_name: l.offerName,
      approvals: l.approvals,
      reversals: l.reversals,
      commission_minor: l.commissionMinor,
      fee_minor: l.feeMinor,
      total_minor: l.totalMinor,
    })),
  }));
  return { data, next_cursor: page.next === null ? null : encodeCursor({ number: page.next }) };
}

/** The publisher's payouts, newest first, with where each is paid masked. */
export async function listApiPayouts(db: Database, tenant: Tenant, query: ListQuery & { status?: "pending" | "paid" | "failed" }) {
  const after = cursorOf(query, z.object({ at: z.string().max(80) }));
  const page = await payoutsFor(db, tenant).list(
    { status: query.status, from: query.from, until: query.to },
    after?.at ?? null,
    query.limit,
  );
  return {
    data: page.rows.map((p) => ({
      id: p.id,
      status: p.status,
      currency: p.currency,
      amount_minor: p.amountMinor,
      method: p.method,
      masked_details: p.maskedDetails,
      reference: p.reference,
      failure_reason: p.failureReason,
      created_at: p.createdAt.toISOString(),
      settled_at: p.settledAt?.toISOString() ?? null,
    })),
    next_cursor: page.next === null ? null : encodeCursor({ at: page.next }),
  };
}

const rowOut = (r: ReportRow) => ({
  key: r.key,
  label: r.label,
  clicks: r.clicks,
  unique_clicks: r.uniqueClicks,
  conversions: r.conversions,
  conversion_rate: r.conversionRate,
  epc_minor: r.epcMinor,
  sale_minor: r.saleMinor,
  commission_minor: r.commissionMinor,
  fee_minor: r.feeMinor,
  merchant_cost_minor: r.merchantCostMinor,
});

/** The organization's report for a range, broken down one way, per currency: the reports page's figures. */
export async function readApiReport(db: Database, tenant: Tenant, input: Record<string, string | undefined>) {
  const params = new URLSearchParams(Object.entries(input).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])));
  const parsed = parseReportQuery(params, tenant.organization.kind);
  if ("error" in parsed) throw new DomainError("invalid_input", parsed.error, "query", 422);
  const { query } = parsed;
  const currencies = await readReportTable(db, tenantReportScope(tenant), query);
  return {
    from: query.from,
    to: query.to,
    time_zone: query.timeZone,
    by: query.by,
    currencies: currencies.map((c) => ({ currency: c.currency, totals: rowOut(c.totals), rows: c.rows.map(rowOut) })),
  };
}
