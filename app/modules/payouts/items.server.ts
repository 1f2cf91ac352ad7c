import { sql, type SQL } from "drizzle-orm";
import { onPaidInvoice } from "../invoices/invoice-items.server";

/** True for a ledger posting that is on a payout that has not failed (pending or paid). */
export const onLivePayout = (postingId: SQL) => sql`exists (
  select 1 from payout_items li join payouts lp on lp.id = li.payout_id
  where li.posting_id = ${postingId} and lp.status <> 'failed')`;

/** True for a conversion whose commission is on a paid payout: its money is final. */
export const paidToPublisher = (conversionId: SQL) => sql`exists (
  select 1 from payout_items pi join payouts po on po.id = pi.payout_id
  where pi.conversion_id = ${conversionId} and po.status = 'paid')`;

/**
 * The postings a payout may carry now, one row each (publisher_id, merchant_id, currency, posting_id,
 * conversion_id, amount_minor), for the conversions `scope` keeps (a condition on `c`):
 * - an approval not yet on a live payout, whose conversion was not reversed (an approval reversed
 *   before it was paid nets to zero: neither is carried), and, when the network requires it, billed
 *   on a paid merchant invoice: its commission;
 * - a reversal whose approval is on a live payout (paid, or being paid) and that is not on one
 *   itself: a clawback, its commission negative.
 */
export function payableItems(scope: SQL, requirePaidInvoice: boolean) {
  return sql`
    select c.publisher_id, c.merchant_id, p.currency, p.id as posting_id, c.id as conversion_id, c.commission_minor as amount_minor
    from conversions c join ledger_postings p on p.conversion_id = c.id and p.kind = 'conversion_approval'
    where ${scope} and c.status = 'approved' and not ${onLivePayout(sql`p.id`)}
      and (${!requirePaidInvoice} or ${onPaidInvoice(sql`p.id`)})
    union all
    select c.publisher_id, c.merchant_id, r.currency, r.id, c.id, -c.commission_minor
    from conversions c join ledger_postings r on r.conversion_id = c.id and r.kind = 'conversion_reversal'
    where ${scope} and c.status = 'reversed' and not ${onLivePayout(sql`r.id`)} and ${onLivePayout(sql`r.reverses_posting_id`)}`;
}
