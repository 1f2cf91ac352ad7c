import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { merchantInvoiceCsv } from "~/modules/invoices/invoice-csv.server";

/** The conversions the merchant's invoice bills, as a CSV download. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Invoice");
  const { filename, body } = await orErrorResponse(() => merchantInvoiceCsv(context.db, tenant, id));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
