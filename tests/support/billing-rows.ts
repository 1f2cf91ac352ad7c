import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { amountToText } from "~/lib/money";
import { createStaffUser } from "~/modules/auth/staff.server";
import { recordInvoicePayment } from "~/modules/invoices/settlement.server";
import { links, uniqueEmail } from "./factories";

/**
 * A merchant invoice billing the approval postings of exactly these conversions (the monthly issue
 * would bill every unbilled posting of the merchant), written directly; `paid` records a real
 * payment of it, so the ledger has the cash and the invoice its payment.
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
          due_at)
        select (select coalesce(max(number), 0) + 1 from invoices), min(merchant_id::text)::uuid, min(currency), now() - interval '30 days',
          now(), 'issued', sum(commission_minor), sum(fee_minor), sum(merchant_cost_minor), now() + interval '30 days'
        from billed
        returning id
      ), item as (
        insert into invoice_items (invoice_id, posting_id, conversion_id, offer_id, commission_minor, fee_minor, total_minor)
        select invoice.id, posting_id, conversion_id, offer_id, commission_minor, fee_minor, merchant_cost_minor from billed, invoice
      )
      select id from invoice`,
  );
  if (status === "paid") await markInvoicePaid(db, invoice!.id);
  return invoice!.id;
}

/** Pays what is open on an invoice, as staff recording the merchant's transfer would. */
export async function markInvoicePaid(db: Database, id: string) {
  const [open] = await selectRows<{ open: string; currency: string }>(
    db,
    sql`select (total_minor - paid_minor)::text as open, currency from invoices where id = ${id}`,
  );
  const staff = await createStaffUser(db, { email: uniqueEmail("billing-staff"), password: "billing staff pass 1", name: "Staff" });
  await recordInvoicePayment(
    db,
    staff,
    id,
    { amount: amountToText(Number(open!.open), open!.currency), receivedOn: new Date().toISOString().slice(0, 10), reference: "TEST-WIRE" },
    links,
  );
}
