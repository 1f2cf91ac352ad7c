import type { Database } from "#db/client";
import { formatCsv } from "~/lib/csv";
import { amountFromSum, amountToText } from "~/lib/money";
import type { Tenant } from "../orgs/tenant.server";
import { invoiceConversions, invoicesFor } from "./invoice-data.server";
import { formatInvoiceNumber } from "./invoice-format";

const HEADER = [
  "booked_at_utc",
  "entry",
  "conversion_id",
  "order_id",
  "event",
  "offer",
  "publisher",
  "status_now",
  "sale_amount",
  "commission",
  "network_fee",
  "total",
  "currency",
];

/**
 * The conversions a tenant's invoice bills, one row per approval or reversal (a reversal's amounts
 * negative), in the invoice's currency as plain decimals a spreadsheet sums.
 */
export async function merchantInvoiceCsv(db: Database, tenant: Tenant, invoiceId: string) {
  const { invoice } = await invoicesFor(db, tenant).get(invoiceId);
  const rows = await invoiceConversions(db, invoice);
  const amount = (minor: string | null) => (minor === null ? null : amountToText(amountFromSum(minor), invoice.currency));
  const body = formatCsv([
    HEADER,
    ...rows.map((r) => [
      r.booked_at,
      r.posting_kind === "conversion_reversal" ? "reversal" : "approval",
      r.conversion_id,
      r.order_id,
      r.event,
      r.offer_name,
      r.publisher_name,
      r.status,
      amount(r.sale_amount),
      amount(r.commission),
      amount(r.fee),
      amount(r.total),
      invoice.currency,
    ]),
  ]);
  return { filename: `${formatInvoiceNumber(invoice.number)}-conversions.csv`, body };
}
