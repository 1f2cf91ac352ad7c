import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { amountFromSum, sumMoney } from "~/lib/money";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { currentBillingSettings } from "../invoices/billing-settings.server";
import { onLiveInvoice, onPaidInvoice } from "../invoices/invoice-items.server";
import { onLivePayout, payableItems } from "./items.server";

/**
 * A publisher's money in one currency: pending (conversions not yet approved), awaiting the
 * merchant's payment (approved, but the invoice billing it is not paid, when the network requires
 * that), available (what the next run would pay, net of clawbacks; may be negative), in payment
 * (on a pending payout) and paid.
 */
export type Balance = {
  currency: string;
  pendingMinor: number;
  awaitingMinor: number;
  availableMinor: number;
  inPaymentMinor: number;
  paidMinor: number;
};

/** The approved conversions of one merchant waiting for that merchant to pay its invoice. */
export type AwaitingMerchant = {
  merchantId: string;
  merchantName: string;
  currency: string;
  conversions: number;
  /** Of those, billed on a live invoice: an open one, since a posting on a paid invoice is not awaiting. */
  invoiced: number;
  amountMinor: number;
};

type Bucket = keyof Omit<Balance, "currency">;
type BucketRow = { currency: string; bucket: Bucket; amount: string };

/**
 * The publisher's balances per currency and, when payouts wait for paid invoices, which merchant's
 * payment each approved amount waits for. A few grouped statements over the publisher's own rows.
 */
export async function publisherBalances(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const publisherId = tenant.organization.id;
  const settings = await currentBillingSettings(db);
  const scope = sql`c.publisher_id = ${publisherId}`;
  const awaitingScope = sql`c.publisher_id = ${publisherId} and c.status = 'approved' and ${settings.payoutsRequirePaidInvoice}
    and not ${onLivePayout(sql`p.id`)} and not ${onPaidInvoice(sql`p.id`)}`;
  const rows = await selectRows<BucketRow>(
    db,
    sql`select currency, 'pendingMinor' as bucket, sum(commission_minor)::text as amount
        from conversions c where ${scope} and c.status = 'pending' and not c.is_test group by currency
      union all
      select currency, 'availableMinor', sum(amount_minor)::text from (${payableItems(scope, settings.payoutsRequirePaidInvoice)}) i group by currency
      union all
      select currency, case status when 'pending' then 'inPaymentMinor' else 'paidMinor' end, sum(amount_minor)::text
        from payouts where publisher_id = ${publisherId} and status <> 'failed' group by currency, status`,
  );
  const awaitingRows = await selectRows<{
    merchant_id: string;
    merchant_name: string;
    currency: string;
    conversions: number;
    invoiced: number;
    amount: string;
  }>(
    db,
    sql`select c.merchant_id, m.name as merchant_name, c.currency, count(*)::int as conversions,
        (count(*) filter (where ${onLiveInvoice(sql`p.id`)}))::int as invoiced,
        sum(c.commission_minor)::text as amount
      from conversions c
      join ledger_postings p on p.conversion_id = c.id and p.kind = 'conversion_approval'
      join organizations m on m.id = c.merchant_id
      where ${awaitingScope}
      group by c.merchant_id, m.name, c.currency
      order by m.name, c.currency`,
  );
  const awaiting = awaitingRows.map((a): AwaitingMerchant => ({
    merchantId: a.merchant_id,
    merchantName: a.merchant_name,
    currency: a.currency.trim(),
    conversions: a.conversions,
    invoiced: a.invoiced,
    amountMinor: amountFromSum(a.amount),
  }));
  const byCurrency = new Map<string, Balance>();
  const add = (currency: string, bucket: Bucket, amountMinor: number) => {
    const balance = byCurrency.get(currency) ?? {
      currency,
      pendingMinor: 0,
      awaitingMinor: 0,
      availableMinor: 0,
      inPaymentMinor: 0,
      paidMinor: 0,
    };
    balance[bucket] = sumMoney([balance[bucket], amountMinor]);
    byCurrency.set(currency, balance);
  };
  for (const r of rows) add(r.currency.trim(), r.bucket, amountFromSum(r.amount));
  // The awaiting amount per currency is the sum of what waits for each merchant: one query for both.
  for (const a of awaiting) add(a.currency, "awaitingMinor", a.amountMinor);
  return {
    requirePaidInvoice: settings.payoutsRequirePaidInvoice,
    balances: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    awaiting,
  };
}
