import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField, TextAreaField, TextField } from "~/components/form";
import { Alert, Button, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { PAYOUT_METHOD_LABELS, labelOf } from "~/lib/labels";
import { amountToText, formatMoney } from "~/lib/money";
import { labelOptions } from "~/components/filters";
import { payoutSettingsSchema } from "~/modules/payouts/schemas";
import { getPayoutSettings, savePayoutSettings } from "~/modules/payouts/settings.server";

export const meta: MetaFunction = () => [{ title: "Payout settings · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  return orErrorResponse(() => getPayoutSettings(context.db, tenant));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const result = await handleForm(await request.formData(), payoutSettingsSchema, (input) => savePayoutSettings(context.db, tenant, input));
  return result.ok ? { ...result.reply, done: true } : result.response;
}

type Fields = {
  method: string;
  accountHolder: string;
  iban: string;
  accountNumber: string;
  routingNumber: string;
  swift: string;
  bankName: string;
  paypalEmail: string;
  instructions: string;
  thresholds: Record<string, string>;
};

export default function PayoutSettings() {
  const { saved, thresholds, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useForm<Fields>({
    id: "payout-settings",
    lastResult: result,
    defaultValue: {
      method: saved?.method ?? "bank_transfer",
      thresholds: Object.fromEntries(thresholds.map((t) => [t.currency, amountToText(t.ownMinor, t.currency)])),
    },
    shouldRevalidate: "onBlur",
  });
  const method = fields.method.value ?? saved?.method ?? "bank_transfer";
  const thresholdFields = fields.thresholds.getFieldset();
  return (
    <>
      <PageHeader
        title="Payout settings"
        description="How the network pays you, and from what balance."
        actions={
          <Link to="/app/payouts" className="text-sm font-semibold text-indigo-600 hover:underline">
            Payouts
          </Link>
        }
      />
      <div className="space-y-6">
        {result && "done" in result ? <Alert tone="success">Payout settings saved.</Alert> : null}
        <Card title="On file" description="Account numbers and addresses are shown masked once saved; to change them, enter them again.">
          {saved ? (
            <DescriptionList
              items={[
                ["Method", labelOf(PAYOUT_METHOD_LABELS, saved.method)],
                ["Details", saved.maskedDetails],
                ["Saved", formatDate(saved.updatedAt)],
              ]}
            />
          ) : (
            <Alert tone="info">No payout method yet: payout runs skip you until you choose one.</Alert>
          )}
        </Card>
        {canManage ? (
          <Card title={saved ? "Change your payout method" : "Choose your payout method"}>
            <Form method="post" {...getFormProps(form)} className="space-y-4">
              <FormErrors errors={form.errors} />
              <SelectField field={fields.method} label="Method" options={labelOptions(PAYOUT_METHOD_LABELS)} />
              {method === "bank_transfer" ? (
                <div className="grid gap-4 sm:grid-cols-2">
                  <TextField field={fields.accountHolder} label="Account holder" autoComplete="off" />
                  <TextField field={fields.bankName} label="Bank name (optional)" autoComplete="off" />
                  <TextField
                    field={fields.iban}
                    label="IBAN"
                    hint="Or leave it empty and give the account number and routing code."
                    autoComplete="off"
                  />
                  <TextField field={fields.swift} label="SWIFT/BIC (optional)" autoComplete="off" />
                  <TextField field={fields.accountNumber} label="Account number" autoComplete="off" />
                  <TextField field={fields.routingNumber} label="Routing number or sort code" autoComplete="off" />
                </div>
              ) : method === "paypal" ? (
                <TextField field={fields.paypalEmail} label="PayPal email address" type="email" autoComplete="off" />
              ) : (
                <TextAreaField field={fields.instructions} label="Payment instructions" hint="Up to 1,000 characters." />
              )}
              <fieldset className="space-y-3">
                <legend className="text-sm font-medium text-zinc-800">Pay me once my balance reaches</legend>
                <p className="text-xs text-zinc-500">Leave a currency empty to be paid from the network minimum.</p>
                <div className="grid gap-4 sm:grid-cols-2">
                  {thresholds.map((t) => (
                    <TextField
                      key={t.currency}
                      field={thresholdFields[t.currency]!}
                      label={`Threshold in ${t.currency}`}
                      hint={`At least ${formatMoney(t.minimumMinor, t.currency)}.`}
                    />
                  ))}
                </div>
              </fieldset>
              <Button>Save payout settings</Button>
            </Form>
          </Card>
        ) : (
          <p className="text-sm text-zinc-500">Only owners and admins can change payout settings.</p>
        )}
      </div>
    </>
  );
}
