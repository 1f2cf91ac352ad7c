import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InvoiceBody, InvoiceStatus } from "~/components/invoice";
import { Card, PageHeader } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { invoicesFor } from "~/modules/invoices/invoice-data.server";
import { formatInvoiceNumber } from "~/modules/invoices/invoice-format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? formatInvoiceNumber(data.invoice.number) : "Invoice"} · Switchboard` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Invoice");
  const invoice = await orErrorResponse(() => invoicesFor(context.db, tenant).get(id));
  return { ...invoice, now: new Date().toISOString() };
}

export default function Invoice() {
  const { invoice, merchantName, lines, payments, now } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Invoice ${formatInvoiceNumber(invoice.number)}`}
        description={`In ${invoice.currency}. Pay by bank transfer quoting the invoice number.`}
        actions={
          <div className="flex flex-wrap items-center gap-3 text-sm font-semibold">
            <InvoiceStatus invoice={invoice} now={new Date(now)} />
            {/* Files, not pages: a plain link, so the browser downloads them. */}
            <a href={`/app/invoices/${invoice.id}/pdf`} className="text-indigo-600">
              Download PDF
            </a>
            <a href={`/app/invoices/${invoice.id}/csv`} className="text-indigo-600">
              Conversions (CSV)
            </a>
          </div>
        }
      />
      <Card>
        <InvoiceBody invoice={invoice} merchantName={merchantName} lines={lines} payments={payments} />
      </Card>
    </>
  );
}
