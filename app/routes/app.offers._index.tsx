import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { listMerchantOffers } from "~/modules/offers/offers.server";
import { describeHeadline } from "~/lib/terms";
import { OFFER_STATUS_LABELS } from "~/lib/labels";
import { VISIBILITIES } from "~/modules/offers/schemas";

export const meta: MetaFunction = () => [{ title: "Offers · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const offers = await orErrorResponse(() => listMerchantOffers(context.db, tenant));
  return {
    offers: offers.map((o) => ({
      id: o.id,
      title: o.title,
      status: o.status,
      visibility: o.visibility,
      payout: describeHeadline(o.terms, o.currency),
      updatedAt: o.updatedAt,
    })),
  };
}

export default function Offers() {
  const { offers } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Offers"
        description="Draft an offer, send it to the network team, and it goes live in the marketplace once approved."
        actions={
          <Link to="/app/offers/new" className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
            New offer
          </Link>
        }
      />
      <Card>
        {offers.length ? (
          <Table columns={["Offer", "Payout", "Visibility", "Status", "Updated"]}>
            {offers.map((o) => (
              <tr key={o.id}>
                <td className="py-3">
                  <Link to={`/app/offers/${o.id}`} className="font-medium text-indigo-600 hover:underline">
                    {o.title}
                  </Link>
                </td>
                <td className="py-3">{o.payout}</td>
                <td className="py-3">{VISIBILITIES[o.visibility]}</td>
                <td className="py-3">
                  <Badge tone={o.status} label={OFFER_STATUS_LABELS[o.status]} />
                </td>
                <td className="py-3 text-zinc-600">{formatDate(o.updatedAt)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="py-6 text-center text-sm text-zinc-500">No offers yet.</p>
        )}
      </Card>
    </>
  );
}
