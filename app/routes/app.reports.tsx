import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ReportView } from "~/components/report-view";
import { PageHeader } from "~/components/ui";
import { requireTenant } from "~/lib/guards.server";
import { timeZoneCookie } from "~/lib/time-zone";
import { exportReport } from "~/modules/reports/report-export.server";
import { parseReportQuery } from "~/modules/reports/report-query";
import { readReport } from "~/modules/reports/reports.server";

export const meta: MetaFunction = () => [{ title: "Reports · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const params = new URL(request.url).searchParams;
  const parsed = parseReportQuery(params, tenant.organization.kind, { browserZone: timeZoneCookie(request) });
  if ("error" in parsed) return data({ report: null, error: parsed.error }, { status: 400 });
  if (params.get("export") === "csv") {
    const csv = await exportReport(context.db, tenant, parsed.query);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="report-${parsed.query.by}-${parsed.query.from}-${parsed.query.to}.csv"`,
      },
    });
  }
  return { report: await readReport(context.db, tenant, parsed.query), error: null };
}

export default function Reports() {
  const { report, error } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Reports" description="Clicks, conversions and money per day, offer and more; every table exports to CSV." />
      <ReportView report={report} error={error} />
    </>
  );
}
