import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ReportView } from "~/components/report-view";
import { PageHeader } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { exportStaffReport } from "~/modules/reports/report-export.server";
import { parseReportQuery } from "~/modules/reports/report-query";
import { readStaffReport } from "~/modules/reports/reports.server";

export const meta: MetaFunction = () => [{ title: "Reports · Staff · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const params = new URL(request.url).searchParams;
  const parsed = parseReportQuery(params, "staff");
  if ("error" in parsed) return data({ report: null, error: parsed.error }, { status: 400 });
  if (params.get("export") === "csv") {
    const csv = await exportStaffReport(context.db, staff, parsed.query);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="report-${parsed.query.by}-${parsed.query.from}-${parsed.query.to}.csv"`,
      },
    });
  }
  return { report: await readStaffReport(context.db, staff, parsed.query), error: null };
}

export default function Reports() {
  const { report, error } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Reports"
        description="The network's clicks, conversions, revenue and take rate, in UTC days; every table exports to CSV."
      />
      <ReportView report={report} error={error} />
    </>
  );
}
