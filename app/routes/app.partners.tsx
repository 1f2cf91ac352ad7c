import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import type { OfferTerm } from "#db/schema";
import { FieldErrors, FormErrors, TextField } from "~/components/form";
import { intentOf } from "~/lib/forms";
import { Alert, Badge, Button, Card, PageHeader } from "~/components/ui";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { assignCoupon, listMerchantCoupons, removeCoupon } from "~/modules/tracking/coupons.server";
import { assignCouponSchema, removeCouponSchema } from "~/modules/tracking/schemas";
import {
  changePartnershipStatus,
  getMerchantPartnership,
  listMerchantPartnerships,
  setCustomTerms,
} from "~/modules/applications/partnerships.server";
import { customTermsSchema } from "~/modules/offers/custom-terms";
import { amountToText, bpsToText } from "~/lib/money";
import { describeTerms, effectiveTerms } from "~/lib/terms";
import { PARTNERSHIP_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Partners · Switchboard" }];

const statusSchema = z.object({
  partnershipId: z.uuid("Unknown partnership"),
  action: z.enum(["pause", "resume", "end"], { error: "Unknown action" }),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const [rows, coupons] = await Promise.all([
    orErrorResponse(() => listMerchantPartnerships(context.db, tenant)),
    orErrorResponse(() => listMerchantCoupons(context.db, tenant)),
  ]);
  return { rows, coupons };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const links = { appUrl: context.config.APP_URL };
  const intent = formIntent(formData, ["custom-rate", "status", "coupon-add", "coupon-remove"]);
  const result = await run();
  return result.ok ? { ...result.reply, done: intent } : result.response;

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
      case "coupon-add":
        return handleForm(formData, assignCouponSchema, (input) => assignCoupon(context.db, tenant, input));
      case "coupon-remove":
        return handleForm(formData, removeCouponSchema, (input) => removeCoupon(context.db, tenant, input));
    }
  }
}

const doneMessages: Record<string, string> = {
  "custom-rate": "Saved. The publisher was emailed.",
  status: "Saved. The publisher was emailed.",
  "coupon-add": "Coupon code added. The publisher sees it on its partnership page.",
  "coupon-remove": "Coupon code removed: orders with it no longer count for this publisher.",
};

export default function Partners() {
  const { rows, coupons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A custom rate and a coupon code show their errors in their own forms.
  const ownForm = intentOf(result) === "custom-rate" || intentOf(result) === "coupon-add";
  const errors = !ownForm && result?.error ? Object.values(result.error).flat() : [];
  return (
    <>
      <PageHeader title="Partners" description="Publishers promoting your offers. Pause, end, or give one a custom rate." />
      <div className="space-y-4">
        {result && "done" in result ? <Alert tone="success">{doneMessages[result.done]}</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        {rows.length === 0 ? <p className="py-6 text-center text-sm text-zinc-500">No partners yet.</p> : null}
        {rows.map(({ partnership: p, offer, publisherName }) => (
          <Card key={p.id} title={`${publisherName} · ${offer.title}`}>
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <Badge tone={p.status} label={PARTNERSHIP_STATUS_LABELS[p.status]} />
              <span>Rate: {describeTerms(effectiveTerms(offer.terms, p.customTerms), offer.currency)}</span>
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
            <Coupons
              partnershipId={p.id}
              coupons={coupons[p.id] ?? []}
              canAdd={p.status !== "ended"}
              result={intentOf(result) === "coupon-add" && result?.initialValue?.partnershipId === p.id ? result : undefined}
            />
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

/** The partnership's coupon codes, each removable, and a field to add one. */
function Coupons({
  partnershipId,
  coupons,
  canAdd,
  result,
}: {
  partnershipId: string;
  coupons: { id: string; code: string }[];
  canAdd: boolean;
  result: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<{ code: string }>({ id: `coupon-${partnershipId}`, lastResult: result });
  return (
    <div className="mt-4 border-t border-zinc-100 pt-4">
      <h3 className="text-sm font-medium text-zinc-800">Coupon codes</h3>
      {coupons.length ? (
        <ul className="mt-2 flex flex-wrap gap-2">
          {coupons.map((c) => (
            <li key={c.id} className="flex items-center gap-1 rounded-md bg-zinc-100 py-0.5 pl-2 pr-1 text-sm">
              <code>{c.code}</code>
              <Form method="post">
                <input type="hidden" name="intent" value="coupon-remove" />
                <input type="hidden" name="couponId" value={c.id} />
                <button aria-label={`Remove ${c.code}`} className="rounded px-1.5 text-zinc-500 hover:bg-zinc-200 hover:text-red-600">
                  ×
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-xs text-zinc-500">None yet. An order sent with a coupon code counts for the partnership that holds it.</p>
      )}
      {canAdd ? (
        <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-wrap items-start gap-2">
          <input type="hidden" name="intent" value="coupon-add" />
          <input type="hidden" name="partnershipId" value={partnershipId} />
          <div className="basis-full empty:hidden">
            <FormErrors errors={form.errors} />
          </div>
          <div className="min-w-0 flex-1 sm:max-w-xs">
            <TextField field={fields.code} label="New coupon code" placeholder="SUMMER25" />
          </div>
          <Button variant="secondary" className="mt-7">
            Add code
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
