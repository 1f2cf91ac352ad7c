import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FormErrors, TextAreaField, TextField } from "~/components/form";
import { intentOf } from "~/lib/forms";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Alert, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { getFeeSettings, removeMerchantFee, setDefaultFee, setMerchantFee } from "~/modules/commissions/fees.server";
import { feeFormSchema } from "~/modules/commissions/schemas";
import { amountToText, bpsToText, formatBps, formatMoney } from "~/lib/money";

export const meta: MetaFunction = () => [{ title: "Network fee · Switchboard staff" }];

const actionSchema = z.discriminatedUnion("intent", [feeFormSchema, z.object({ intent: z.literal("remove"), merchantId: z.uuid() })]);

export async function loader({ context }: LoaderFunctionArgs) {
  return getFeeSettings(context.db, requireStaff(context));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), actionSchema, (input) => {
    switch (input.intent) {
      case "default":
        return setDefaultFee(context.db, staff, { bps: input.bps, minimums: input.minimums });
      case "merchant":
        return setMerchantFee(context.db, staff, input.merchant ?? "", { bps: input.bps, minimums: input.minimums });
      case "remove":
        return removeMerchantFee(context.db, staff, input.merchantId);
    }
  });
  return result.ok ? { ...result.reply, done: true } : result.response;
}

const minimumsText = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([c, v]) => `${c} ${amountToText(v, c)}`)
    .join("\n");

export default function Fees() {
  const { networkDefault, overrides } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // The default and override forms show their errors under their fields.
  const errors = intentOf(result) === "remove" && result?.error ? Object.values(result.error).flat() : [];
  return (
    <>
      <PageHeader
        title="Network fee"
        description="Charged to merchants on top of each commission: a percentage of the commission, at least the minimum."
      />
      <div className="space-y-6">
        {result && "done" in result ? <Alert tone="success">Saved and written to the audit log.</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        <Card title="Network default">
          <DefaultFeeForm
            percent={bpsToText(networkDefault.bps)}
            minimums={minimumsText(networkDefault.minimums)}
            result={intentOf(result) === "default" ? result : undefined}
          />
        </Card>
        <Card title="Merchant overrides">
          {overrides.length ? (
            <Table columns={["Merchant", "Fee", "Minimums", "Updated", ""]} className="mb-6">
              {overrides.map(({ policy, merchantName }) => (
                <tr key={policy.id}>
                  <td className="py-2">{merchantName}</td>
                  <td className="py-2">{formatBps(policy.bps)}</td>
                  <td className="py-2">
                    {Object.entries(policy.minimums)
                      .map(([c, v]) => formatMoney(v, c))
                      .join(", ") || "—"}
                  </td>
                  <td className="py-2 text-zinc-600">{formatDate(policy.updatedAt)}</td>
                  <td className="py-2 text-right">
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="merchantId" value={policy.merchantId!} />
                      <Button variant="ghost" className="text-red-600">
                        Remove
                      </Button>
                    </Form>
                  </td>
                </tr>
              ))}
            </Table>
          ) : null}
          <MerchantFeeForm result={intentOf(result) === "merchant" ? result : undefined} />
        </Card>
      </div>
    </>
  );
}

type Result = SubmissionResult<string[]> | undefined;
type FeeFields = { percent: string; minimums: string; merchant: string };

function DefaultFeeForm({ percent, minimums, result }: { percent: string; minimums: string; result: Result }) {
  const [form, fields] = useForm<FeeFields>({ id: "fee-default", lastResult: result, defaultValue: { percent, minimums } });
  return (
    <Form method="post" {...getFormProps(form)} className="grid items-start gap-4 sm:grid-cols-3">
      <input type="hidden" name="intent" value="default" />
      <div className="sm:col-span-3">
        <FormErrors errors={form.errors} />
      </div>
      <TextField field={fields.percent} label="Fee (% of commission)" />
      <div className="sm:col-span-2">
        <TextAreaField field={fields.minimums} label="Minimum per conversion (one per line, e.g. USD 0.50)" rows={2} />
      </div>
      <div>
        <Button>Save default</Button>
      </div>
    </Form>
  );
}

function MerchantFeeForm({ result }: { result: Result }) {
  const [form, fields] = useForm<FeeFields>({ id: "fee-merchant", lastResult: result });
  return (
    <Form method="post" {...getFormProps(form)} className="grid items-start gap-4 sm:grid-cols-4">
      <input type="hidden" name="intent" value="merchant" />
      <div className="sm:col-span-4">
        <FormErrors errors={form.errors} />
      </div>
      <TextField field={fields.merchant} label="Merchant handle" />
      <TextField field={fields.percent} label="Fee (%)" />
      <TextAreaField field={fields.minimums} label="Minimums" rows={1} />
      <div className="sm:pt-7">
        <Button variant="secondary">Set override</Button>
      </div>
    </Form>
  );
}
