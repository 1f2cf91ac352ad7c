import type { Database } from "#db/client";
import type { StaffActor } from "../auth/staff.server";
import type { Tenant } from "../orgs/tenant.server";
import { reportCsv } from "./report-csv.server";
import type { ReportQuery } from "./report-query";
import { readReportTable, staffReportScope, tenantReportScope } from "./reports.server";

/** The tenant's report table (the query's breakdown, every row) as CSV. */
export async function exportReport(db: Database, tenant: Tenant, query: ReportQuery): Promise<string> {
  const scope = tenantReportScope(tenant);
  return reportCsv(scope.viewer, query.by, await readReportTable(db, scope, query));
}

/** The network's report table as CSV. */
export async function exportStaffReport(db: Database, staff: StaffActor, query: ReportQuery): Promise<string> {
  return reportCsv("staff", query.by, await readReportTable(db, staffReportScope(staff), query));
}
