import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterInput, FilterSelect, labelOptions } from "~/components/filters";
import { Pager } from "~/components/pager";
import { Alert, Badge, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { PAYOUT_METHOD_LABELS, PAYOUT_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { getPublisherPayouts, readPayoutQuery } from "~/modules/payouts/publisher-payouts.server";

export const meta: MetaFunction = () => [{ title: "Payouts · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const query = readPayoutQuery(new URL(request.url).searchParams);
  return { query, ...(await orErrorResponse(() => getPublisherPayouts(context.db, tenant, query))) };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Figure({ label, amount, currency, hint }: { label: string; amount: number; currency: string; hint: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums text-zinc-900">{formatMoney(amount, currency)}</dd>
      <dd className="text-xs text-zinc-500">{hint}</dd>
    </div>
  );
}

export default function Payouts() {
  const data = useLoaderData<typeof loader>();
  const { filter } = data.query;
  const keep = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string"));
  return (
    <>
      <PageHeader
        title="Payouts"
        description="What you have earned, what waits for a merchant's payment, and what the network paid you."
        actions={
          <Link to="/app/payouts/settings" className="text-sm font-semibold text-indigo-600 hover:underline">
            Payout settings →
          </Link>
        }
      />
      <div className="space-y-6">
        {data.balances.length ? (
          data.balances.map((b) => (
            <Card key={b.currency} title={`Balance in ${b.currency}`}>
              <dl className="grid grid-cols-2 gap-4 md:grid-cols-5">
                <Figure label="Pending" amount={b.pendingMinor} currency={b.currency} hint="Conversions not yet approved" />
                <Figure
                  label="Awaiting merchant payment"
                  amount={b.awaitingMinor}
                  currency={b.currency}
                  hint="Approved; paid once the merchant pays its invoice"
                />
                <Figure label="Available" amount={b.availableMinor} currency={b.currency} hint="Paid by the next payout run" />
                <Figure label="Being paid" amount={b.inPaymentMinor} currency={b.currency} hint="On a payout not yet sent" />
                <Figure label="Paid" amount={b.paidMinor} currency={b.currency} hint="Sent to you" />
              </dl>
            </Card>
          ))
        ) : (
          <p className="text-sm text-zinc-500">Nothing earned yet: your balances appear here once conversions come in.</p>
        )}
        {data.awaiting.length ? (
          <Card
            title="Waiting for merchants to pay"
            description="The network pays you for a conversion once the merchant has paid the invoice that bills it."
          >
            <Table columns={["Merchant", "Conversions", "Invoiced", "Amount"]}>
              {data.awaiting.map((a) => (
                <tr key={`${a.merchantId}-${a.currency}`}>
                  <td className="py-2">{a.merchantName}</td>
                  <td className="py-2 text-right tabular-nums">{formatCount(a.conversions)}</td>
                  <td className="py-2 text-right tabular-nums">
                    {a.invoiced ? `${formatCount(a.invoiced)} on an open invoice` : "Not invoiced yet"}
                  </td>
                  <td className="py-2 text-right tabular-nums">{formatMoney(a.amountMinor, a.currency)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        ) : null}
        <Card title="Payout history">
          <Form method="get" className="mb-4 grid grid-cols-2 items-end gap-3 sm:grid-cols-4">
            <FilterSelect
              name="status"
              label="Status"
              value={filter.status}
              any="Any status"
              options={labelOptions(PAYOUT_STATUS_LABELS)}
            />
            <FilterInput label="From" name="from" type="date" defaultValue={filter.from ?? ""} />
            <FilterInput label="Until" name="until" type="date" defaultValue={filter.until ?? ""} />
            <Button variant="secondary">Filter</Button>
          </Form>
          {data.query.errors.map((e) => (
            <Alert key={e} tone="error">
              {e}
            </Alert>
          ))}
          <History rows={data.rows} />
          <Pager
            first={data.query.cursor ? `?${keep}` : null}
            next={data.next ? `?${new URLSearchParams([...keep, ["cursor", data.next]])}` : null}
            nextLabel="Older payouts"
          />
        </Card>
      </div>
    </>
  );
}

function History({ rows }: { rows: Data["rows"] }) {
  if (!rows.length) return <p className="text-sm text-zinc-500">No payouts yet.</p>;
  return (
    <Table columns={["Date", "Amount", "Method", "Status", ""]}>
      {rows.map((p) => (
        <tr key={p.id}>
          <td className="py-2 whitespace-nowrap">{formatDate(p.createdAt)}</td>
          <td className="py-2 text-right tabular-nums">{formatMoney(p.amountMinor, p.currency)}</td>
          <td className="py-2">{labelOf(PAYOUT_METHOD_LABELS, p.method)}</td>
          <td className="py-2">
            <Badge tone={p.status} label={labelOf(PAYOUT_STATUS_LABELS, p.status)} />
          </td>
          <td className="py-2">
            <Link to={`/app/payouts/${p.id}`} className="text-indigo-600 hover:underline">
              Conversions
            </Link>
          </td>
        </tr>
      ))}
    </Table>
  );
}
