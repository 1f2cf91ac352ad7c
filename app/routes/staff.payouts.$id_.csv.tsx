import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { payoutRunCsv } from "~/modules/payouts/staff-payouts.server";

/** The run's pending payouts as a batch file (columns in ADR 0028), downloaded rather than shown. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const runId = uuidParam(params.id, "Payout run");
  const csv = await orErrorResponse(() => payoutRunCsv(context.db, staff, runId));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="payout-run-${runId.slice(0, 8)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
