import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { requireStaff } from "~/lib/guards.server";
import { formatMoney } from "~/lib/money";
import { runPayouts } from "~/modules/payouts/run.server";
import { listPayoutRuns } from "~/modules/payouts/staff-payouts.server";

export const meta: MetaFunction = () => [{ title: "Payouts · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return { runs: await listPayoutRuns(context.db, staff) };
}

export async function action({ context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const run = await runPayouts(context.db, staff);
  return redirect(`/staff/payouts/${run.runId}`);
}

export default function PayoutRuns() {
  const { runs } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="Payouts"
        description="A run pays every publisher whose available balance reached its threshold and who has a payout method. It also runs by itself on the 5th of each month at 06:00 UTC."
        actions={
          <Form method="post">
            <Button disabled={busy}>{busy ? "Running…" : "Run payouts"}</Button>
          </Form>
        }
      />
      <Card title="Runs" description="Newest first, with each currency's payouts: how many, their amount and how much of it is paid.">
        {runs.length ? (
          <Table columns={["Run", "Started by", "Currency", "Payouts", "Amount", "Paid", "Open"]}>
            {runs.flatMap((run) =>
              (run.totals.length ? run.totals : [null]).map((t, i) => (
                <tr key={`${run.id}-${t?.currency ?? "none"}`} className="align-top">
                  <td className="py-2 whitespace-nowrap">
                    {i === 0 ? (
                      <Link to={`/staff/payouts/${run.id}`} className="text-indigo-600 hover:underline">
                        {formatDate(run.createdAt)}
                      </Link>
                    ) : null}
                  </td>
                  <td className="py-2">{i === 0 ? (run.createdBy ?? "Monthly schedule") : null}</td>
                  <td className="py-2">{t?.currency ?? "—"}</td>
                  <td className="py-2 text-right tabular-nums">{t ? formatCount(t.payouts) : "No payouts"}</td>
                  <td className="py-2 text-right tabular-nums">{t ? formatMoney(t.amountMinor, t.currency) : null}</td>
                  <td className="py-2 text-right tabular-nums">{t ? formatMoney(t.paidMinor, t.currency) : null}</td>
                  <td className="py-2 text-right tabular-nums">
                    {t ? `${formatCount(t.pending)} pending${t.failed ? `, ${formatCount(t.failed)} failed` : ""}` : null}
                  </td>
                </tr>
              )),
            )}
          </Table>
        ) : (
          <p className="text-sm text-zinc-500">No payout run yet.</p>
        )}
      </Card>
    </>
  );
}
