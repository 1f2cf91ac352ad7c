import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { merchantInvoicePdf } from "~/modules/invoices/invoice-pdf.server";

/** The merchant's invoice as a PDF download. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Invoice");
  const { filename, body } = await orErrorResponse(() => merchantInvoicePdf(context.db, tenant, id));
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
