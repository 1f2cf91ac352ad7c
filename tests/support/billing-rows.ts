import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";

/**
 * A merchant invoice billing the approval postings of these conversions, written directly (the
 * invoices module is another's; payout tests need only its rows): `paid` or left `issued`.
 */
export async function insertInvoiceFor(db: Database, conversionIds: string[], status: "issued" | "paid" = "paid") {
  const ids = JSON.stringify(conversionIds);
  const [invoice] = await selectRows<{ id: string }>(
    db,
    sql`with billed as (
        select p.id as posting_id, c.id as conversion_id, c.offer_id, c.merchant_id, c.currency, c.commission_minor, c.fee_minor,
          c.merchant_cost_minor
        from conversions c join ledger_postings p on p.conversion_id = c.id and p.kind = 'conversion_approval'
        where c.id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid)
      ), invoice as (
        insert into invoices (number, merchant_id, currency, period_start, period_end, status, commission_minor, fee_minor, total_minor,
          paid_minor, due_at, paid_at)
        select (select coalesce(max(number), 0) + 1 from invoices), min(merchant_id::text)::uuid, min(currency), now() - interval '30 days',
          now(), ${status}::invoice_status, sum(commission_minor), sum(fee_minor), sum(merchant_cost_minor),
          case when ${status} = 'paid' then sum(merchant_cost_minor) else 0 end, now() + interval '30 days',
          case when ${status} = 'paid' then now() end
        from billed
        returning id
      ), item as (
        insert into invoice_items (invoice_id, posting_id, conversion_id, offer_id, commission_minor, fee_minor, total_minor)
        select invoice.id, posting_id, conversion_id, offer_id, commission_minor, fee_minor, merchant_cost_minor from billed, invoice
      )
      select id from invoice`,
  );
  return invoice!.id;
}

/** Marks an invoice paid, as recording its last payment would. */
export async function markInvoicePaid(db: Database, invoiceId: string) {
  await db.execute(sql`update invoices set status = 'paid', paid_minor = total_minor, paid_at = now() where id = ${invoiceId}`);
}
