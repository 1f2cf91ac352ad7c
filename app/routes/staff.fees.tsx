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

const input = "mt-1 block w-full rounded-md px-3 py-2 text-sm ring-1 ring-zinc-300";

export default function Fees() {
  const { networkDefault, overrides } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.error ? Object.values(result.error).flat() : [];
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
          <Form method="post" className="grid gap-4 sm:grid-cols-3">
            <input type="hidden" name="intent" value="default" />
            <label className="text-sm font-medium">
              Fee (% of commission)
              <input name="percent" defaultValue={bpsToText(networkDefault.bps)} className={input} />
            </label>
            <label className="text-sm font-medium sm:col-span-2">
              Minimum per conversion (one per line, e.g. USD 0.50)
              <textarea name="minimums" rows={2} defaultValue={minimumsText(networkDefault.minimums)} className={input} />
            </label>
            <div>
              <Button>Save default</Button>
            </div>
          </Form>
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
          <Form method="post" className="grid gap-4 sm:grid-cols-4">
            <input type="hidden" name="intent" value="merchant" />
            <label className="text-sm font-medium">
              Merchant handle
              <input name="merchant" className={input} />
            </label>
            <label className="text-sm font-medium">
              Fee (%)
              <input name="percent" className={input} />
            </label>
            <label className="text-sm font-medium">
              Minimums
              <textarea name="minimums" rows={1} className={input} />
            </label>
            <div className="pt-6">
              <Button variant="secondary">Set override</Button>
            </div>
          </Form>
        </Card>
      </div>
    </>
  );
}
