import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Badge, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { PAYOUT_METHOD_LABELS, PAYOUT_SKIP_REASON_LABELS, PAYOUT_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { markFailedSchema, markPaidSchema } from "~/modules/payouts/schemas";
import { markPayoutFailed, markPayoutPaid } from "~/modules/payouts/settle.server";
import { getPayoutRun } from "~/modules/payouts/staff-payouts.server";

export const meta: MetaFunction = () => [{ title: "Payout run · Switchboard staff" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return orErrorResponse(() => getPayoutRun(context.db, staff, uuidParam(params.id, "Payout run")));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  uuidParam(params.id, "Payout run");
  const formData = await request.formData();
  const intent = formIntent(formData, ["paid", "failed"]);
  const links = { appUrl: context.config.APP_URL };
  const result =
    intent === "paid"
      ? await handleForm(formData, markPaidSchema, (input) => markPayoutPaid(context.db, staff, input, links))
      : await handleForm(formData, markFailedSchema, (input) => markPayoutFailed(context.db, staff, input, links));
  return result.ok ? { ...result.reply, done: intent, payoutId: result.value.id } : result.response;
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Payout = Data["payouts"][number];
type Result = (SubmissionResult<string[]> & { done?: unknown; payoutId?: string }) | undefined;

export default function PayoutRun() {
  const { run, payouts, skipped } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const pending = payouts.filter((p) => p.status === "pending").length;
  return (
    <>
      <PageHeader
        title={`Payout run of ${formatDate(run.createdAt)}`}
        description={`${formatCount(payouts.length)} payouts, ${formatCount(pending)} still pending. Export the pending ones for your bank or PayPal, send them, then mark each paid with its reference (or failed with why).`}
        actions={
          <div className="flex gap-3">
            <Link to="/staff/payouts" className="text-sm font-semibold text-zinc-700 hover:underline">
              All runs
            </Link>
            <a href={`/staff/payouts/${run.id}/csv`} download className="text-sm font-semibold text-indigo-600 hover:underline">
              Export CSV
            </a>
          </div>
        }
      />
      <div className="space-y-6">
        {result?.done === "paid" ? <Alert tone="success">Payout marked paid.</Alert> : null}
        {result?.done === "failed" ? <Alert tone="success">Payout marked failed: its amount is available again.</Alert> : null}
        <Card title="Payouts">
          {payouts.length ? (
            <Table columns={["Publisher", "Amount", "Method", "Details", "Status", ""]}>
              {payouts.map((p) => (
                <PayoutRow key={p.id} payout={p} result={result?.initialValue?.payoutId === p.id ? result : undefined} />
              ))}
            </Table>
          ) : (
            <p className="text-sm text-zinc-500">This run found no publisher to pay.</p>
          )}
        </Card>
        {skipped.length ? (
          <Card
            title="Skipped"
            description="Publishers whose balance was due, but who could not be paid. They are paid by the next run once this is fixed."
          >
            <Table columns={["Publisher", "Amount due", "Why"]}>
              {skipped.map((s) => (
                <tr key={`${s.publisherId}-${s.currency}`}>
                  <td className="py-2">
                    <Link to={`/staff/organizations/${s.publisherId}`} className="text-indigo-600 hover:underline">
                      {s.name}
                    </Link>
                  </td>
                  <td className="py-2 text-right tabular-nums">{formatMoney(s.amountMinor, s.currency)}</td>
                  <td className="py-2">{labelOf(PAYOUT_SKIP_REASON_LABELS, s.reason)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function PayoutRow({ payout: p, result }: { payout: Payout; result: Result }) {
  return (
    <tr className="align-top">
      <td className="py-2">
        <Link to={`/staff/organizations/${p.publisherId}`} className="text-indigo-600 hover:underline">
          {p.publisherName}
        </Link>
        <p className="text-xs text-zinc-500">{formatCount(p.items)} conversions</p>
      </td>
      <td className="py-2 text-right whitespace-nowrap tabular-nums">{formatMoney(p.amountMinor, p.currency)}</td>
      <td className="py-2 whitespace-nowrap">{labelOf(PAYOUT_METHOD_LABELS, p.method)}</td>
      <td className="py-2 text-zinc-700">{p.maskedDetails}</td>
      <td className="py-2">
        <Badge tone={p.status} label={labelOf(PAYOUT_STATUS_LABELS, p.status)} />
        {p.reference ? <p className="mt-1 text-xs text-zinc-500">Ref. {p.reference}</p> : null}
        {p.failureReason ? <p className="mt-1 text-xs text-zinc-500">{p.failureReason}</p> : null}
        {p.settledAt ? <p className="mt-1 text-xs text-zinc-500">{formatDate(p.settledAt)}</p> : null}
      </td>
      <td className="py-2">{p.status === "pending" ? <SettleForms payout={p} result={result} /> : null}</td>
    </tr>
  );
}

function SettleForms({ payout, result }: { payout: Payout; result: Result }) {
  const busy = useNavigation().state === "submitting";
  const sent = result?.initialValue?.intent;
  const [paidForm, paid] = useForm<{ reference: string }>({ id: `paid-${payout.id}`, lastResult: sent === "paid" ? result : undefined });
  const [failedForm, failed] = useForm<{ reason: string }>({
    id: `failed-${payout.id}`,
    lastResult: sent === "failed" ? result : undefined,
  });
  return (
    <details className="min-w-56" open={Boolean(sent)}>
      <summary className="cursor-pointer text-sm font-semibold text-indigo-600">Settle</summary>
      <Form method="post" {...getFormProps(paidForm)} className="mt-2 space-y-2">
        <input type="hidden" name="intent" value="paid" />
        <input type="hidden" name="payoutId" value={payout.id} />
        <FormErrors errors={paidForm.errors} />
        <TextField field={paid.reference} label="Payment reference" />
        <Button disabled={busy} aria-label={`Mark the payout to ${payout.publisherName} paid`}>
          Mark paid
        </Button>
      </Form>
      <Form method="post" {...getFormProps(failedForm)} className="mt-4 space-y-2">
        <input type="hidden" name="intent" value="failed" />
        <input type="hidden" name="payoutId" value={payout.id} />
        <FormErrors errors={failedForm.errors} />
        <TextField field={failed.reason} label="Why it failed" />
        <Button variant="danger" disabled={busy} aria-label={`Mark the payout to ${payout.publisherName} failed`}>
          Mark failed
        </Button>
      </Form>
    </details>
  );
}
