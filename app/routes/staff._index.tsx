import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OrganizationTable } from "~/components/organization-table";
import { Alert, Card, DescriptionList, PageHeader } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { listOrganizationsForStaff } from "~/modules/moderation/organizations.server";
import { getSystemHealth } from "~/modules/moderation/system.server";

export const meta: MetaFunction = () => [{ title: "Review queue · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const [rows, system] = await Promise.all([
    listOrganizationsForStaff(context.db, staff, { status: "pending_review" }),
    getSystemHealth(context.db, staff, context.search),
  ]);
  return { rows, system };
}

export default function ReviewQueue() {
  const { rows, system } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Review queue" description="New organizations waiting for the network team, oldest first." />
      <div className="space-y-6">
        {!system.searchHealth.ok ? (
          <Alert tone="error">Search is unavailable: {system.searchHealth.detail}. Changes are kept and retried.</Alert>
        ) : null}
        {system.jobsFailed > 0 ? (
          <Alert tone="error">
            {system.jobsFailed} background job{system.jobsFailed === 1 ? "" : "s"} failed for good: see{" "}
            <Link to="/staff/jobs" className="font-semibold underline">
              failed jobs
            </Link>
            .
          </Alert>
        ) : null}
        <Card>
          <OrganizationTable rows={rows} empty="Nothing to review. Well done." />
        </Card>
        <Card title="System">
          <DescriptionList
            items={[
              ["Search", `${system.searchEngine}: ${system.searchHealth.detail}`],
              ...system.jobs.map((q): [string, string] => [
                `Jobs: ${q.queue}`,
                `${q.waiting} waiting${q.retrying ? ` (${q.retrying} retrying after an error)` : ""}, ${q.running} running, ${q.failed} failed`,
              ]),
            ]}
          />
        </Card>
      </div>
    </>
  );
}
