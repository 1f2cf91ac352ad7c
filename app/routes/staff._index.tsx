import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OrganizationTable } from "~/components/organization-table";
import { Card, PageHeader } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { listOrganizationsForStaff } from "~/modules/moderation/organizations.server";

export const meta: MetaFunction = () => [{ title: "Review queue · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireStaff(context);
  return { rows: await listOrganizationsForStaff(context.db, { status: "pending_review" }) };
}

export default function ReviewQueue() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Review queue" description="New organizations waiting for the network team, oldest first." />
      <Card>
        <OrganizationTable rows={rows} empty="Nothing to review. Well done." />
      </Card>
    </>
  );
}
