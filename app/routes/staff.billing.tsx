import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, TextAreaField, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { amountToText } from "~/lib/money";
import { currentBillingSettings, DEFAULT_PAYOUT_MINIMUM_MAJOR, saveBillingSettings } from "~/modules/invoices/billing-settings.server";
import { billingSettingsFormSchema } from "~/modules/invoices/schemas";

export const meta: MetaFunction = () => [{ title: "Billing · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireStaff(context);
  return { settings: await currentBillingSettings(context.db), defaultMinimumMajor: DEFAULT_PAYOUT_MINIMUM_MAJOR };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), billingSettingsFormSchema, (settings) =>
    saveBillingSettings(context.db, staff, settings),
  );
  return result.ok ? { ...result.reply, done: true } : result.response;
}

export default function Billing() {
  const { settings, defaultMinimumMajor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useForm<{ invoiceDueDays: string; payoutMinimums: string; payoutsRequirePaidInvoice: string }>({
    id: "billing-settings",
    lastResult: result,
    defaultValue: {
      invoiceDueDays: String(settings.invoiceDueDays),
      payoutMinimums: Object.entries(settings.payoutMinimums)
        .map(([c, v]) => `${c} ${amountToText(v, c)}`)
        .join("\n"),
      payoutsRequirePaidInvoice: settings.payoutsRequirePaidInvoice ? "on" : "",
    },
  });
  return (
    <>
      <PageHeader title="Billing" description="When merchants' invoices fall due, and what publishers must reach before a payout." />
      <div className="space-y-6">
        {result && "done" in result ? <Alert tone="success">Saved and written to the audit log.</Alert> : null}
        <Card>
          <Form method="post" {...getFormProps(form)} className="grid max-w-xl gap-4">
            <FormErrors errors={form.errors} />
            <TextField
              field={fields.invoiceDueDays}
              label="Invoice due after (days)"
              hint="An open invoice past this is overdue: the merchant is flagged and emailed."
            />
            <TextAreaField
              field={fields.payoutMinimums}
              label="Payout minimum per currency (one per line, e.g. USD 50.00)"
              hint={`A currency not listed has a minimum of ${defaultMinimumMajor} in its major unit.`}
              rows={3}
            />
            <label className="flex items-start gap-2 text-sm text-zinc-800">
              <input
                {...getInputProps(fields.payoutsRequirePaidInvoice, { type: "checkbox" })}
                key={fields.payoutsRequirePaidInvoice.key}
                className="mt-0.5 size-4 rounded border-zinc-300 text-indigo-600"
              />
              <span>Pay publishers only for conversions whose merchant invoice is paid (the network never advances money)</span>
            </label>
            <div>
              <Button>Save settings</Button>
            </div>
          </Form>
        </Card>
      </div>
    </>
  );
}
