import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, DescriptionList, PageHeader, Table, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { PAYOUT_METHOD_LABELS, PAYOUT_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { payoutsFor } from "~/modules/payouts/payout-data.server";

export const meta: MetaFunction = () => [{ title: "Payout · Switchboard" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Payout");
  return orErrorResponse(() => payoutsFor(context.db, tenant).get(id));
}

export default function PayoutDetail() {
  const { payout: p, conversions } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Payout of ${formatMoney(p.amountMinor, p.currency)}`}
        actions={
          <Link to="/app/payouts" className="text-sm font-semibold text-indigo-600 hover:underline">
            All payouts
          </Link>
        }
      />
      <div className="space-y-6">
        <Card>
          <DescriptionList
            items={[
              ["Status", <Badge key="s" tone={p.status} label={labelOf(PAYOUT_STATUS_LABELS, p.status)} />],
              ["Created", formatDate(p.createdAt)],
              ["Method", `${labelOf(PAYOUT_METHOD_LABELS, p.method)} · ${p.maskedDetails}`],
              ...(p.settledAt ? [["Settled", formatDate(p.settledAt)] as [string, string]] : []),
              ...(p.reference ? [["Payment reference", p.reference] as [string, string]] : []),
              ...(p.failureReason ? [["Why it failed", p.failureReason] as [string, string]] : []),
            ]}
          />
        </Card>
        <Card
          title={`${formatCount(conversions.length)} conversions`}
          description="What this payout pays. A reversal of a conversion you were already paid for is taken back as a negative amount."
        >
          <Table columns={["Converted", "Merchant", "Offer", "Order", "Amount"]}>
            {conversions.map((c) => (
              <tr key={c.itemId}>
                <td className="py-2 whitespace-nowrap">{formatDate(c.convertedAt)}</td>
                <td className="py-2">{c.merchantName}</td>
                <td className="py-2">{c.offerTitle}</td>
                <td className="py-2">
                  <Link to={`/app/conversions/${c.conversionId}`} className="text-indigo-600 hover:underline">
                    {c.orderId}
                  </Link>
                </td>
                <td className="py-2 text-right tabular-nums">
                  {formatMoney(c.amountMinor, p.currency)}
                  {c.clawback ? <span className="ml-1 text-xs text-red-700">(reversed)</span> : null}
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}
