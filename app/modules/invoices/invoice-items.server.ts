import { sql, type SQL } from "drizzle-orm";

/** True for a ledger posting billed on an invoice that is not void (issued or paid): no other invoice may bill it. */
export const onLiveInvoice = (postingId: SQL) => sql`exists (
  select 1 from invoice_items ii join invoices inv on inv.id = ii.invoice_id
  where ii.posting_id = ${postingId} and inv.status <> 'void')`;

/** True for a posting billed on a merchant invoice that is paid in full. */
export const onPaidInvoice = (postingId: SQL) => sql`exists (
  select 1 from invoice_items ii join invoices inv on inv.id = ii.invoice_id
  where ii.posting_id = ${postingId} and inv.status = 'paid')`;
