import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import {
  ConversionAttribution,
  ConversionBreakdown,
  ConversionDetails,
  ConversionHistory,
  ConversionStatus,
  REJECTION_REASON_OPTIONS,
} from "~/components/conversion";
import { FormErrors, SelectField, TextAreaField } from "~/components/form";
import { FraudSignalList, HoldBadge } from "~/components/fraud";
import { Alert, Button, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { countryName } from "~/lib/countries";
import { formatCount } from "~/lib/counts";
import { intentOf } from "~/lib/forms";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { CONVERSION_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatBps } from "~/lib/money";
import { clearHeldConversion, getFraudReview, rejectForFraudReview } from "~/modules/tracking/fraud-queue.server";
import { fraudDecisionSchema } from "~/modules/tracking/schemas";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Fraud review: order ${data?.conversion.orderId ?? ""} · Switchboard staff` },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return orErrorResponse(() => getFraudReview(context.db, staff, uuidParam(params.id, "Conversion")));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Conversion");
  const result = await handleForm(await request.formData(), fraudDecisionSchema, async (input) => {
    if (input.intent === "clear") await clearHeldConversion(context.db, staff, id, input.note);
    else await rejectForFraudReview(context.db, staff, id, input.reason, input.note);
    return input.intent;
  });
  return result.ok ? { ...result.reply, done: result.value } : result.response;
}

type Result = (SubmissionResult<string[]> & { done?: unknown }) | undefined;

export default function FraudReview() {
  const { conversion: c, events, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const done = result && "done" in result ? result.done : null;
  const failed = result && !("done" in result) ? result : undefined;
  const click: [string, ReactNode][] = [
    ["Customer country", c.customerCountry ? countryName(c.customerCountry) : "Not reported by the merchant"],
    ["Click to conversion", c.secondsToConvert === null ? "No click" : `${formatCount(c.secondsToConvert)} s`],
    ["Screened", c.screenedAt ? formatDate(c.screenedAt) : "Not yet"],
  ];
  return (
    <>
      <PageHeader
        title={`Order ${c.orderId}`}
        description={`${c.event} on ${c.offerTitle}, referred by ${c.publisherName} to ${c.merchantName}`}
        actions={
          <span className="inline-flex flex-wrap items-center gap-1.5">
            <ConversionStatus conversion={c} />
            <HoldBadge hold={c.hold} />
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {done === "clear" ? (
            <Alert tone="success">
              Cleared. It stays pending and is approved automatically when its validation period ends ({formatDate(c.validationEndsAt)}),
              unless the merchant decides first. Both sides were told, and the audit log has it.
            </Alert>
          ) : null}
          {done === "reject" ? (
            <Alert tone="success">Rejected. Both sides were told and read the reason; the audit log has it.</Alert>
          ) : null}
          {failed?.error?.intent ? <Alert tone="error">{failed.error.intent.join(" ")}</Alert> : null}
          <Card title="Fraud signals" description="What screening found, with the evidence to check it by.">
            <FraudSignalList signals={c.fraudSignals} />
          </Card>
          <Card title="Conversion">
            <ConversionDetails conversion={c} viewer="staff" />
          </Card>
          <Card title="Click">
            <ConversionAttribution conversion={c} />
            <DescriptionList items={click} />
          </Card>
          <Card title="Amounts">
            <ConversionBreakdown conversion={c} />
          </Card>
          <Card title="History">
            <ConversionHistory history={events} viewer="staff" />
          </Card>
        </div>
        <div className="min-w-0 space-y-6">
          <Decisions conversion={c} busy={busy} result={failed} />
          <Card title={`${c.publisherName}, last ${history.days} days`} description="Its conversions, test ones left out.">
            <DescriptionList
              items={[
                ...Object.entries(CONVERSION_STATUS_LABELS).map(([status, label]): [string, string] => [
                  label,
                  formatCount(history.byStatus[status] ?? 0),
                ]),
                ["Held by screening", formatCount(history.held)],
                ["Hold rate", history.holdRateBps === null ? "No conversions" : formatBps(history.holdRateBps)],
              ]}
            />
            <Link to={`/staff/organizations/${c.publisherId}`} className="mt-4 inline-block text-sm font-semibold text-indigo-600">
              The publisher's page →
            </Link>
          </Card>
        </div>
      </div>
      <Link to="/staff/fraud" className="mt-6 inline-block text-sm font-semibold text-indigo-600">
        ← Fraud queue
      </Link>
    </>
  );
}

/** Clear (held only) and reject (any pending): a decision both sides are told of, with its note. */
function Decisions({ conversion: c, busy, result }: { conversion: { status: string; hold: string }; busy: boolean; result: Result }) {
  if (c.status !== "pending") {
    return (
      <Card title="Decided">
        <p className="text-sm text-zinc-600">
          This conversion is {labelOf(CONVERSION_STATUS_LABELS, c.status).toLowerCase()}: there is nothing left to decide here.
        </p>
      </Card>
    );
  }
  return (
    <>
      {c.hold === "held" ? <ClearForm busy={busy} result={intentOf(result) === "clear" ? result : undefined} /> : null}
      <RejectForm busy={busy} result={intentOf(result) === "reject" ? result : undefined} />
    </>
  );
}

function ClearForm({ busy, result }: { busy: boolean; result: Result }) {
  const [form, fields] = useForm<{ note: string }>({ id: "fraud-clear", lastResult: result });
  return (
    <Card
      title="Clear"
      description="Genuine: the hold is lifted and the conversion is approved automatically when its validation period ends."
    >
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="intent" value="clear" />
        <FormErrors errors={form.errors} />
        <TextAreaField field={fields.note} label="Why it is genuine" rows={3} />
        <Button disabled={busy}>Clear the hold</Button>
      </Form>
    </Card>
  );
}

function RejectForm({ busy, result }: { busy: boolean; result: Result }) {
  const [form, fields] = useForm<{ reason: string; note: string }>({
    id: "fraud-reject",
    lastResult: result,
    defaultValue: { reason: "fraud" },
  });
  return (
    <Card title="Reject" description="It never earns. Both sides read the reason and the note.">
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="intent" value="reject" />
        <FormErrors errors={form.errors} />
        <SelectField field={fields.reason} label="Reason" options={REJECTION_REASON_OPTIONS} />
        <TextAreaField field={fields.note} label="Note (optional)" rows={3} />
        <Button variant="danger" disabled={busy}>
          Reject
        </Button>
      </Form>
    </Card>
  );
}
