import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import type { OfferTerm } from "#db/schema";
import { FieldErrors, FormErrors } from "~/components/form";
import { intentOf } from "~/lib/forms";
import { Alert, Badge, Button, Card, PageHeader } from "~/components/ui";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import {
  changePartnershipStatus,
  getMerchantPartnership,
  listMerchantPartnerships,
  setCustomTerms,
} from "~/modules/applications/partnerships.server";
import { customTermsSchema } from "~/modules/offers/custom-terms";
import { amountToText, bpsToText } from "~/lib/money";
import { describeTerms } from "~/lib/terms";
import { PARTNERSHIP_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Partners · Switchboard" }];

const statusSchema = z.object({
  partnershipId: z.uuid("Unknown partnership"),
  action: z.enum(["pause", "resume", "end"], { error: "Unknown action" }),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  return { rows: await orErrorResponse(() => listMerchantPartnerships(context.db, tenant)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const links = { appUrl: context.config.APP_URL };
  const intent = formIntent(formData, ["custom-rate", "status"]);
  const result = await run();
  return result.ok ? { ...result.reply, done: true } : result.response;

  async function run() {
    switch (intent) {
      case "custom-rate": {
        const id = z.uuid().safeParse(formData.get("partnershipId"));
        if (!id.success) throw new Response("Partnership not found", { status: 404 });
        const { offer } = await orErrorResponse(() => getMerchantPartnership(context.db, tenant, id.data));
        return handleForm(formData, customTermsSchema(offer.terms, offer.currency), (input) =>
          setCustomTerms(context.db, tenant, input, links),
        );
      }
      case "status":
        return handleForm(formData, statusSchema, (input) => changePartnershipStatus(context.db, tenant, input, links));
    }
  }
}

export default function Partners() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A custom rate shows its errors in its own form.
  const errors = intentOf(result) !== "custom-rate" && result?.error ? Object.values(result.error).flat() : [];
  return (
    <>
      <PageHeader title="Partners" description="Publishers promoting your offers. Pause, end, or give one a custom rate." />
      <div className="space-y-4">
        {result && "done" in result ? <Alert tone="success">Saved. The publisher was emailed.</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        {rows.length === 0 ? <p className="py-6 text-center text-sm text-zinc-500">No partners yet.</p> : null}
        {rows.map(({ partnership: p, offer, publisherName }) => (
          <Card key={p.id} title={`${publisherName} · ${offer.title}`}>
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <Badge tone={p.status} label={PARTNERSHIP_STATUS_LABELS[p.status]} />
              <span>Rate: {describeTerms(p.customTerms ?? offer.terms, offer.currency)}</span>
              {p.customTerms ? <span className="text-xs text-indigo-700">custom</span> : null}
              <Link to={`/app/offers/${offer.id}`} className="ml-auto text-indigo-600">
                Offer
              </Link>
            </div>
            {p.status !== "ended" ? (
              <div className="mt-4 flex flex-wrap items-end gap-3">
                {p.status === "active" ? <StatusButton id={p.id} action="pause" label="Pause" /> : null}
                {p.status === "paused" ? <StatusButton id={p.id} action="resume" label="Resume" /> : null}
                <StatusButton id={p.id} action="end" label="End partnership" danger />
                <CustomRateForm
                  partnershipId={p.id}
                  terms={offer.terms}
                  currency={offer.currency}
                  custom={p.customTerms}
                  result={intentOf(result) === "custom-rate" && result?.initialValue?.partnershipId === p.id ? result : undefined}
                />
              </div>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  );
}

/** One optional rate per event of the offer; each input's error shows under it, the rest under the form. */
function CustomRateForm({
  partnershipId,
  terms,
  currency,
  custom,
  result,
}: {
  partnershipId: string;
  terms: OfferTerm[];
  currency: string;
  custom: OfferTerm[] | null;
  result: SubmissionResult<string[]> | undefined;
}) {
  const [form] = useForm({ id: `custom-rate-${partnershipId}`, lastResult: result });
  const errors = form.allErrors;
  const inputNames = terms.flatMap((_, i) => [`amount[${i}]`, `percent[${i}]`]);
  const otherErrors = Object.entries(errors).flatMap(([name, messages]) => (inputNames.includes(name) ? [] : messages));
  const rateInput = (name: string, label: string, defaultValue: string, width: string) => (
    <label className="text-xs">
      {label}
      <input
        name={name}
        defaultValue={defaultValue}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${form.id}-${name}-error` : undefined}
        className={`mt-1 block ${width} rounded-md px-2 py-1.5 text-sm ring-1 ${errors[name] ? "ring-red-400" : "ring-zinc-300"}`}
      />
      <FieldErrors id={`${form.id}-${name}-error`} errors={errors[name]} />
    </label>
  );
  return (
    <Form method="post" {...getFormProps(form)} className="ml-auto flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="custom-rate" />
      <input type="hidden" name="partnershipId" value={partnershipId} />
      {terms.map((t, i) => {
        const rate = custom?.find((c) => c.event === t.event);
        return (
          <fieldset key={t.event} className="flex items-start gap-2">
            <legend className="sr-only">{t.event}</legend>
            {t.type !== "cps"
              ? rateInput(`amount[${i}]`, `${t.event} amount`, amountToText(rate?.flatMinor ?? null, currency), "w-24")
              : null}
            {t.type !== "cpa" ? rateInput(`percent[${i}]`, `${t.event} rate (%)`, bpsToText(rate?.bps ?? null), "w-20") : null}
          </fieldset>
        );
      })}
      <Button variant="secondary">Set custom rate</Button>
      <div className="basis-full empty:hidden">
        <FormErrors errors={otherErrors} />
      </div>
    </Form>
  );
}

function StatusButton({ id, action, label, danger }: { id: string; action: string; label: string; danger?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="partnershipId" value={id} />
      <input type="hidden" name="action" value={action} />
      <Button variant={danger ? "danger" : "secondary"}>{label}</Button>
    </Form>
  );
}
