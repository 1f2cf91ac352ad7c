import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { OrganizationTable } from "~/components/organization-table";
import { Button, Card, PageHeader } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { overdueMerchantIds } from "~/modules/invoices/invoice-data.server";
import { listOrganizationsForStaff } from "~/modules/moderation/organizations.server";

export const meta: MetaFunction = () => [{ title: "Organizations · Switchboard staff" }];

const filterSchema = z.object({
  status: z.enum(["pending_review", "active", "rejected", "suspended"]).optional().catch(undefined),
  kind: z.enum(["merchant", "publisher"]).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [rows, overdue] = await Promise.all([
    listOrganizationsForStaff(context.db, staff, { ...filter, q: filter.q || undefined }),
    overdueMerchantIds(context.db),
  ]);
  return { filter, rows: rows.map((r) => ({ ...r, overdue: overdue.has(r.organization.id) })) };
}

const select = "rounded-md border-0 py-2 pl-2 pr-8 text-sm ring-1 ring-zinc-300";

export default function Organizations() {
  const { rows, filter } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Organizations" description="Every merchant and publisher on the network." />
      <Card>
        <Form method="get" className="mb-4 flex flex-wrap gap-3">
          <input
            name="q"
            defaultValue={filter.q}
            placeholder="Name or handle"
            aria-label="Search"
            className="rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300"
          />
          <select name="status" defaultValue={filter.status ?? ""} aria-label="Status" className={select}>
            <option value="">Any status</option>
            <option value="pending_review">Pending review</option>
            <option value="active">Active</option>
            <option value="rejected">Rejected</option>
            <option value="suspended">Suspended</option>
          </select>
          <select name="kind" defaultValue={filter.kind ?? ""} aria-label="Kind" className={select}>
            <option value="">Merchants and publishers</option>
            <option value="merchant">Merchants</option>
            <option value="publisher">Publishers</option>
          </select>
          <Button variant="secondary">Filter</Button>
        </Form>
        <OrganizationTable rows={rows} empty="No organization matches." />
      </Card>
    </>
  );
}
