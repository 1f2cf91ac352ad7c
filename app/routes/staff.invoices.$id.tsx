import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, TextAreaField, TextField } from "~/components/form";
import { InvoiceBody, InvoiceStatus } from "~/components/invoice";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { intentOf } from "~/lib/forms";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { formatMoney } from "~/lib/money";
import { getInvoiceForStaff } from "~/modules/invoices/invoice-data.server";
import { formatInvoiceNumber } from "~/modules/invoices/invoice-format";
import { paymentFormSchema, voidFormSchema } from "~/modules/invoices/schemas";
import { recordInvoicePayment, voidInvoice } from "~/modules/invoices/settlement.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? formatInvoiceNumber(data.invoice.number) : "Invoice"} · Switchboard staff` },
];

const actionSchema = z.discriminatedUnion("intent", [paymentFormSchema, voidFormSchema], { error: "Unknown action" });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Invoice");
  const invoice = await orErrorResponse(() => getInvoiceForStaff(context.db, staff, id));
  return { ...invoice, now: new Date().toISOString() };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Invoice");
  const links = { appUrl: context.config.APP_URL };
  const result = await handleForm(await request.formData(), actionSchema, async (input) => {
    if (input.intent === "payment") return { ...(await recordInvoicePayment(context.db, staff, id, input, links)), intent: input.intent };
    await voidInvoice(context.db, staff, id, input.reason, links);
    return { intent: input.intent };
  });
  return result.ok ? { ...result.reply, done: result.value } : result.response;
}

export default function StaffInvoice() {
  const { invoice, merchantName, lines, payments, items, openMinor, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const done = result && "done" in result ? result.done : null;
  const [paymentForm, paymentFields] = useForm<{ amount: string; receivedOn: string; reference: string }>({
    id: "invoice-payment",
    lastResult: intentOf(result) === "payment" ? result : undefined,
  });
  const [voidForm, voidFields] = useForm<{ reason: string }>({
    id: "invoice-void",
    lastResult: intentOf(result) === "void" ? result : undefined,
  });
  return (
    <>
      <PageHeader
        title={`Invoice ${formatInvoiceNumber(invoice.number)}`}
        description={
          <>
            To{" "}
            <Link to={`/staff/organizations/${invoice.merchantId}`} className="text-indigo-600 hover:underline">
              {merchantName}
            </Link>{" "}
            in {invoice.currency}
          </>
        }
        actions={<InvoiceStatus invoice={invoice} now={new Date(now)} />}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {done ? (
            <Alert tone="success">
              {done.intent === "void"
                ? "Voided: its conversions go on the merchant's next invoice."
                : "Payment recorded and booked in the ledger."}{" "}
              The merchant's owners were emailed.
            </Alert>
          ) : null}
          <Card>
            <InvoiceBody invoice={invoice} merchantName={merchantName} lines={lines} payments={payments} />
          </Card>
          <Card title="Ledger postings billed">
            <p className="text-sm text-zinc-700">
              {formatCount(items.approvals)} approvals and {formatCount(items.reversals)} reversals of {formatCount(items.conversions)}{" "}
              conversions.
            </p>
          </Card>
        </div>
        <div className="space-y-6">
          {invoice.status === "issued" ? (
            <Card title="Record a payment" description={`${formatMoney(openMinor, invoice.currency)} is open. Partial payments are fine.`}>
              <Form method="post" {...getFormProps(paymentForm)} className="space-y-3">
                <input type="hidden" name="intent" value="payment" />
                <FormErrors errors={paymentForm.errors} />
                <TextField field={paymentFields.amount} label={`Amount (${invoice.currency})`} />
                <TextField field={paymentFields.receivedOn} label="Received on" type="date" />
                <TextField field={paymentFields.reference} label="Reference" hint="The bank's or PayPal's reference for this payment." />
                <Button disabled={busy}>Record payment</Button>
              </Form>
            </Card>
          ) : null}
          {invoice.status === "issued" && invoice.paidMinor === 0 ? (
            <Card title="Void" description="The merchant reads the reason. The invoice's conversions go on its next invoice.">
              <Form method="post" {...getFormProps(voidForm)} className="space-y-3">
                <input type="hidden" name="intent" value="void" />
                <FormErrors errors={voidForm.errors} />
                <TextAreaField field={voidFields.reason} label="Reason" rows={3} />
                <Button variant="danger" disabled={busy}>
                  Void invoice
                </Button>
              </Form>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
