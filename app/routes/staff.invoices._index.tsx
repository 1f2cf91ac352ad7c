import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { Form, useLoaderData } from "@remix-run/react";
import { FilterSelect } from "~/components/filters";
import { InvoiceStatusFilters, InvoiceTable } from "~/components/invoice";
import { Pager } from "~/components/pager";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { readQueryFilters } from "~/lib/query-filters";
import { listInvoicesForStaff } from "~/modules/invoices/invoice-data.server";
import { issueInvoicesNow } from "~/modules/invoices/issuing.server";
import { invoiceQueryFields, issueFormSchema } from "~/modules/invoices/schemas";

export const meta: MetaFunction = () => [{ title: "Invoices · Switchboard staff" }];

const { status, overdue, merchant, after } = invoiceQueryFields;
/** How many invoices the issue-now form just made, shown once after its redirect. */
const issued = z.coerce.number({ error: "That link is out of date." }).int("That link is out of date.").min(0, "That link is out of date.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const params = new URL(request.url).searchParams;
  const { filter, errors } = readQueryFilters({ status, overdue, merchant, after, issued }, params, {
    cursor: "after",
    staleCursor: "That page is out of date; showing the newest invoices.",
  });
  const now = new Date();
  const page = await listInvoicesForStaff(
    context.db,
    staff,
    { status: filter.status, overdue: filter.overdue === "1", merchantId: filter.merchant },
    filter.after ?? null,
    now,
  );
  return { ...page, filter, errors, now: now.toISOString() };
}

/** Staff issue one merchant's invoices now (from its page); the list then shows that merchant's invoices. */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), issueFormSchema, async (input) => ({
    merchantId: input.merchantId,
    ...(await issueInvoicesNow(context.db, staff, input.merchantId, new Date(), { appUrl: context.config.APP_URL })),
  }));
  if (!result.ok) return result.response;
  return redirect(`/staff/invoices?merchant=${result.value.merchantId}&issued=${result.value.issued.length}`);
}

export default function StaffInvoices() {
  const { rows, next, merchants, filter, errors, now } = useLoaderData<typeof loader>();
  const kept = new URLSearchParams(
    Object.entries({ status: filter.status, overdue: filter.overdue, merchant: filter.merchant }).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
  const nextPage = next === null ? null : `?${new URLSearchParams([...kept, ["after", String(next)]])}`;
  return (
    <>
      <PageHeader
        title="Invoices"
        description="Every merchant's invoices, newest first. Issued monthly on the 1st; issue one now from the merchant's page."
      />
      <div className="space-y-6">
        {filter.issued !== undefined ? (
          <Alert tone="success">
            {filter.issued === 0
              ? "Nothing to bill: the merchant has no unbilled conversions, or they net to zero or less and wait for the next invoice."
              : `Issued ${filter.issued} invoice${filter.issued === 1 ? "" : "s"}; the merchant's owners were emailed.`}
          </Alert>
        ) : null}
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        <Card>
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-4 sm:items-end">
            <InvoiceStatusFilters filter={filter} />
            <FilterSelect
              name="merchant"
              label="Merchant"
              value={filter.merchant}
              any="All merchants"
              options={merchants.map((m) => ({ value: m.id, label: m.name }))}
            />
            <Button variant="secondary">Filter</Button>
          </Form>
          {rows.length ? (
            <InvoiceTable rows={rows} hrefOf={(id) => `/staff/invoices/${id}`} now={new Date(now)} showMerchant />
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">No invoice matches.</p>
          )}
          <Pager first={filter.after ? `?${kept}` : null} next={nextPage} nextLabel="Older invoices" />
        </Card>
      </div>
    </>
  );
}
