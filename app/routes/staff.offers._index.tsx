import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, PageHeader, Table, formatDate } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { listOffersForReview } from "~/modules/moderation/offers.server";
import { describeHeadline } from "~/lib/terms";

export const meta: MetaFunction = () => [{ title: "Offer review · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const rows = await listOffersForReview(context.db, staff);
  return {
    rows: rows.map((r) => ({
      id: r.offer.id,
      title: r.offer.title,
      merchantName: r.merchantName,
      payout: describeHeadline(r.offer.terms, r.offer.currency),
      updatedAt: r.offer.updatedAt,
    })),
  };
}

export default function OfferReviewQueue() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Offer review" description="Offers waiting to go live, oldest first." />
      <Card>
        {rows.length ? (
          <Table columns={["Offer", "Merchant", "Payout", "Submitted"]}>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="py-3">
                  <Link to={`/staff/offers/${r.id}`} className="font-medium text-indigo-600 hover:underline">
                    {r.title}
                  </Link>
                </td>
                <td className="py-3">{r.merchantName}</td>
                <td className="py-3">{r.payout}</td>
                <td className="py-3 text-zinc-600">{formatDate(r.updatedAt)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="py-6 text-center text-sm text-zinc-500">No offers to review.</p>
        )}
      </Card>
    </>
  );
}
