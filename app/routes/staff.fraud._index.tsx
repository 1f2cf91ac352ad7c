import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ConversionStatus } from "~/components/conversion";
import { signalNames } from "~/components/fraud";
import { Alert, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { requireStaff } from "~/lib/guards.server";
import { formatMoney } from "~/lib/money";
import { listHeldConversions } from "~/modules/tracking/fraud-queue.server";
import { Pager } from "~/components/pager";
import { conversionCursor } from "~/modules/tracking/schemas";

export const meta: MetaFunction = () => [{ title: "Fraud queue · Switchboard staff" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const after = new URL(request.url).searchParams.get("after");
  const cursor = after ? conversionCursor.safeParse(after) : null;
  const page = await listHeldConversions(context.db, staff, cursor?.success ? cursor.data : null);
  return { ...page, stale: cursor ? !cursor.success : false };
}

export default function FraudQueue() {
  const { rows, held, next, stale } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Fraud queue"
        description="Conversions fraud screening put on hold, oldest first. A held conversion is not approved automatically until you clear or reject it."
        actions={
          <Link to="/staff/fraud/settings" className="text-sm font-semibold text-indigo-600 hover:underline">
            Thresholds
          </Link>
        }
      />
      <div className="space-y-4">
        {stale ? <Alert tone="warning">That page link is out of date: showing the oldest held conversions.</Alert> : null}
        <Card
          title={held === 1 ? "1 conversion on hold" : `${formatCount(held)} conversions on hold`}
          description="Open one to see its signals, its click and its publisher's history."
        >
          {rows.length ? (
            <Table columns={["Recorded", "Order", "Publisher", "Merchant", "Status", "Commission", "Signals"]}>
              {rows.map((c) => (
                <tr key={c.id} className="align-top">
                  <td className="py-2 whitespace-nowrap">
                    <Link to={`/staff/fraud/${c.id}`} className="text-indigo-600 hover:underline">
                      {formatDate(c.createdAt)}
                    </Link>
                  </td>
                  <td className="py-2">
                    <span className="break-all">{c.orderId}</span> <span className="text-xs text-zinc-500">{c.event}</span>
                  </td>
                  <td className="py-2">{c.publisherName}</td>
                  <td className="py-2">{c.merchantName}</td>
                  <td className="py-2">
                    <ConversionStatus conversion={c} />
                  </td>
                  <td className="py-2 whitespace-nowrap">{formatMoney(c.commissionMinor, c.currency)}</td>
                  <td className="py-2">{signalNames(c.signals)}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="text-sm text-zinc-500">Nothing on hold. New conversions are screened within a minute.</p>
          )}
          <Pager next={next ? `?after=${encodeURIComponent(next)}` : null} nextLabel="Next page" />
        </Card>
      </div>
    </>
  );
}
