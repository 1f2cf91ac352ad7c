import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { FilterInput } from "~/components/filters";
import { InvoiceStatusFilters, InvoiceTable } from "~/components/invoice";
import { Pager } from "~/components/pager";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { readQueryFilters } from "~/lib/query-filters";
import { DAY_MS } from "~/lib/time";
import { invoicesFor } from "~/modules/invoices/invoice-data.server";
import { invoiceQueryFields } from "~/modules/invoices/schemas";

export const meta: MetaFunction = () => [{ title: "Invoices · Switchboard" }];

const { status, overdue, from, to, after } = invoiceQueryFields;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const { filter, errors } = readQueryFilters({ status, overdue, from, to, after }, new URL(request.url).searchParams, {
    cursor: "after",
    staleCursor: "That page is out of date; showing your newest invoices.",
  });
  const now = new Date();
  const page = await orErrorResponse(() =>
    invoicesFor(context.db, tenant).list(
      {
        status: filter.status,
        overdue: filter.overdue === "1",
        from: filter.from ? new Date(filter.from) : undefined,
        // The last day counts whole: issued before the next day begins.
        until: filter.to ? new Date(new Date(filter.to).getTime() + DAY_MS) : undefined,
      },
      filter.after ?? null,
      now,
    ),
  );
  return { ...page, filter, errors, now: now.toISOString() };
}

export default function Invoices() {
  const { rows, next, filter, errors, now } = useLoaderData<typeof loader>();
  const kept = new URLSearchParams(
    Object.entries({ status: filter.status, overdue: filter.overdue, from: filter.from, to: filter.to }).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
  const nextPage = next === null ? null : `?${new URLSearchParams([...kept, ["after", String(next)]])}`;
  return (
    <>
      <PageHeader
        title="Invoices"
        description="What the network bills you each month: the commissions and network fees of the conversions you approved, net of reversals."
      />
      <div className="space-y-6">
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        <Card>
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-5 sm:items-end">
            <InvoiceStatusFilters filter={filter} />
            <FilterInput type="date" name="from" label="Issued from" defaultValue={filter.from} />
            <FilterInput type="date" name="to" label="Issued to" defaultValue={filter.to} />
            <Button variant="secondary">Filter</Button>
          </Form>
          {rows.length ? (
            <InvoiceTable rows={rows} hrefOf={(id) => `/app/invoices/${id}`} now={new Date(now)} showMerchant={false} />
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">No invoice yet. Invoices are issued on the 1st of each month.</p>
          )}
          <Pager first={filter.after ? `?${kept}` : null} next={nextPage} nextLabel="Older invoices" />
        </Card>
      </div>
    </>
  );
}
