import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { enqueueEmail } from "#emails/outbox";
import { amountFromSum, formatMoney } from "~/lib/money";
import { contactEmails } from "../orgs/contacts.server";
import { formatInvoiceNumber } from "./invoice-format";

type OverdueRow = {
  id: string;
  number: number;
  merchant_id: string;
  merchant_name: string;
  currency: string;
  open: string;
  due_at: Date | string;
};

/**
 * The daily run: each issued invoice past its due date whose merchant was not yet told is marked
 * told and emailed to the merchant's owners and admins, in one transaction per invoice, so a retry
 * never emails twice. Rows another run holds are skipped.
 */
export async function notifyOverdueInvoices(db: Database, now: Date, links: { appUrl: string }) {
  let notified = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const [row] = await selectRows<OverdueRow>(
        tx,
        sql`select i.id, i.number, i.merchant_id, o.name as merchant_name, i.currency, (i.total_minor - i.paid_minor)::text as open, i.due_at
          from invoices i join organizations o on o.id = i.merchant_id
          where i.status = 'issued' and i.due_at < ${now.toISOString()}::timestamptz and i.overdue_notified_at is null
          order by i.due_at, i.id
          limit 1
          for update of i skip locked`,
      );
      if (!row) return false;
      await tx.execute(sql`update invoices set overdue_notified_at = ${now.toISOString()}::timestamptz where id = ${row.id}`);
      const props = {
        merchantName: row.merchant_name,
        invoiceNumber: formatInvoiceNumber(row.number),
        open: formatMoney(amountFromSum(row.open), row.currency),
        dueOn: new Date(row.due_at).toISOString().slice(0, 10),
        url: `${links.appUrl}/app/invoices/${row.id}`,
      };
      for (const address of await contactEmails(tx, [row.merchant_id])) await enqueueEmail(tx, address, "invoice_overdue", props);
      return true;
    });
    if (!done) return { notified };
    notified += 1;
  }
}
