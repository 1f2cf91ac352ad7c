import { getFormProps, useForm, type Submission, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Offer } from "~/modules/offers/offers.server";
import { amountToText, bpsToText } from "~/lib/money";
import { COUNTRY_MODES, DEFAULT_CLICK_ID_PARAM, offerFormSchema, PAYOUT_TYPES, VISIBILITIES } from "~/modules/offers/schemas";
import { COUNTRY_OPTIONS } from "~/lib/countries";
import { TRAFFIC_SOURCES } from "~/modules/orgs/schemas";
import {
  CheckboxGroup,
  errorsOf,
  FieldErrors,
  fieldList,
  FormErrors,
  SelectField,
  submittedValues,
  TextAreaField,
  TextField,
} from "./form";
import { Button, Card } from "./ui";

const options = (record: Record<string, string>) => Object.entries(record).map(([value, label]) => ({ value, label }));

type Rate = { amount: string; percent: string };

/** The form's fields as text; offerFormSchema turns them into an offer. */
type OfferFormValues = {
  title: string;
  description: string;
  landingUrl: string;
  clickIdParam: string;
  deepLinkDomains: string;
  niches: string[];
  countryMode: string;
  countries: string[];
  trafficSources: string[];
  currency: string;
  terms: (Rate & { event: string; type: string; tiers: (Rate & { minConversions: string })[] })[];
  cookieDays: string;
  validationDays: string;
  offerDaily: string;
  offerMonthly: string;
  partnerDaily: string;
  partnerMonthly: string;
  termsAndConditions: string;
  bannerUrls: string;
  textLinks: string;
  guidelines: string;
  visibility: string;
  questions: string;
  autoApprove: string;
  reapplyCooldownDays: string;
};

/** The offer as the form's text fields show it. */
export function offerFormDefaults(offer: Offer | null, niches: string[]): Partial<OfferFormValues> {
  if (!offer) {
    return {
      currency: "USD",
      clickIdParam: DEFAULT_CLICK_ID_PARAM,
      countryMode: "all",
      visibility: "approval",
      cookieDays: "30",
      validationDays: "30",
      reapplyCooldownDays: "30",
      terms: [{ event: "sale", type: "cps", amount: "", percent: "", tiers: [] }],
    };
  }
  const c = offer.currency;
  return {
    title: offer.title,
    description: offer.description,
    landingUrl: offer.landingUrl,
    clickIdParam: offer.clickIdParam,
    deepLinkDomains: offer.deepLinkDomains.join("\n"),
    niches,
    countryMode: offer.countryMode,
    countries: offer.countries,
    trafficSources: offer.trafficSources,
    currency: c,
    terms: offer.terms.map((t) => ({
      event: t.event,
      type: t.type,
      amount: amountToText(t.flatMinor, c),
      percent: bpsToText(t.bps),
      tiers: t.tiers.map((tier) => ({
        minConversions: String(tier.minConversions),
        amount: amountToText(tier.flatMinor, c),
        percent: bpsToText(tier.bps),
      })),
    })),
    cookieDays: String(offer.cookieDays),
    validationDays: String(offer.validationDays),
    offerDaily: offer.caps.offerDaily?.toString() ?? "",
    offerMonthly: offer.caps.offerMonthly?.toString() ?? "",
    partnerDaily: offer.caps.partnerDaily?.toString() ?? "",
    partnerMonthly: offer.caps.partnerMonthly?.toString() ?? "",
    termsAndConditions: offer.termsAndConditions,
    bannerUrls: offer.creatives.banners.map((b) => b.url).join("\n"),
    textLinks: offer.creatives.textLinks.join("\n"),
    guidelines: offer.creatives.guidelines,
    visibility: offer.visibility,
    questions: offer.questions.join("\n"),
    autoApprove: offer.autoApprove ? "on" : "",
    reapplyCooldownDays: String(offer.reapplyCooldownDays),
  };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title}>
      <div className="space-y-5">{children}</div>
    </Card>
  );
}

export function OfferForm(props: {
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: ReturnType<typeof offerFormDefaults>;
  niches: { slug: string; name: string }[];
  submitLabel: string;
  busy: boolean;
}) {
  const [form, fields] = useForm<OfferFormValues>({
    id: "offer",
    lastResult: props.lastResult,
    defaultValue: props.defaultValue,
    shouldValidate: "onBlur",
    // The schema's output is the parsed offer, not these text fields; the field shape is what matters here.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offerFormSchema }) as unknown as Submission<OfferFormValues, string[]>,
  });
  const terms = fieldList(fields.terms);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <Section title="The offer">
        <TextField field={fields.title} label="Title" />
        <TextAreaField
          field={fields.description}
          label="Description (Markdown)"
          rows={6}
          hint="Headings, lists, bold and links work. HTML is not rendered."
        />
        <TextField
          field={fields.landingUrl}
          label="Landing URL"
          type="url"
          placeholder="https://shop.example.com/landing"
          hint={
            <>
              Where a click lands. It may carry macros, filled in for each click: <code>{"{click_id}"}</code>, <code>{"{sub1}"}</code> to{" "}
              <code>{"{sub5}"}</code>, <code>{"{publisher_id}"}</code> and <code>{"{offer_id}"}</code>. Without <code>{"{click_id}"}</code>,
              the click id is added as a query parameter named below.
            </>
          }
        />
        <TextField
          field={fields.clickIdParam}
          label="Click id parameter"
          placeholder={DEFAULT_CLICK_ID_PARAM}
          hint="The name of the query parameter that carries the click id, for your postbacks to send back. Letters, digits, _, - and ., up to 40."
        />
        <TextAreaField
          field={fields.deepLinkDomains}
          label="Allowed deep-link domains (one per line)"
          rows={3}
          hint="Publishers may link to any page on these domains; nothing else."
        />
        <CheckboxGroup
          field={fields.niches}
          label="Niches"
          options={props.niches.map((n) => ({ value: n.slug, label: n.name }))}
          columns={3}
        />
      </Section>
      <Section title="Payout">
        <TextField field={fields.currency} label="Currency (ISO 4217)" placeholder="USD" />
        {terms.map((term, i) => {
          const t = term.getFieldset();
          const tiers = fieldList(t.tiers);
          return (
            <fieldset key={term.key} className="space-y-3 rounded-md p-4 ring-1 ring-zinc-200">
              <legend className="px-1 text-sm font-semibold">Event {i + 1}</legend>
              <div className="grid gap-3 sm:grid-cols-4">
                <TextField field={t.event} label={`Event ${i + 1} name`} placeholder="sale" />
                <SelectField field={t.type} label={`Event ${i + 1} payout type`} options={options(PAYOUT_TYPES)} />
                <TextField field={t.amount} label={`Event ${i + 1} flat amount`} placeholder="25.00" />
                <TextField field={t.percent} label={`Event ${i + 1} rate (%)`} placeholder="8" />
              </div>
              {tiers.map((tier, j) => {
                const r = tier.getFieldset();
                return (
                  <div key={tier.key} className="grid gap-3 sm:grid-cols-4">
                    <TextField field={r.minConversions} label={`Tier ${j + 1}: from conversions a month`} placeholder="50" />
                    <TextField field={r.amount} label={`Tier ${j + 1} flat amount`} />
                    <TextField field={r.percent} label={`Tier ${j + 1} rate (%)`} />
                    <button
                      {...form.remove.getButtonProps({ name: t.tiers.name, index: j })}
                      className="mt-7 text-left text-sm text-zinc-500 hover:text-red-600"
                    >
                      Remove tier
                    </button>
                  </div>
                );
              })}
              <FieldErrors id={t.tiers.errorId} errors={t.tiers.errors} />
              <div className="flex gap-4">
                <button
                  {...form.insert.getButtonProps({ name: t.tiers.name, defaultValue: { minConversions: "", amount: "", percent: "" } })}
                  className="text-sm font-medium text-indigo-600"
                >
                  + Add a monthly tier
                </button>
                {terms.length > 1 ? (
                  <button
                    {...form.remove.getButtonProps({ name: fields.terms.name, index: i })}
                    className="text-sm text-zinc-500 hover:text-red-600"
                  >
                    Remove event
                  </button>
                ) : null}
              </div>
            </fieldset>
          );
        })}
        <FieldErrors id={fields.terms.errorId} errors={fields.terms.errors} />
        <button
          {...form.insert.getButtonProps({
            name: fields.terms.name,
            defaultValue: { event: "", type: "cpa", amount: "", percent: "", tiers: [] },
          })}
          className="text-sm font-medium text-indigo-600"
        >
          + Add an event
        </button>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField field={fields.cookieDays} label="Cookie window (days)" />
          <TextField field={fields.validationDays} label="Validation period (days)" />
        </div>
      </Section>
      <Section title="Where and how it may be promoted">
        <SelectField field={fields.countryMode} label="Countries" options={options(COUNTRY_MODES)} />
        <div>
          <label htmlFor={fields.countries.id} className="block text-sm font-medium text-zinc-800">
            Country list
          </label>
          <select
            id={fields.countries.id}
            name={fields.countries.name}
            multiple
            defaultValue={submittedValues(fields.countries)}
            className="mt-1.5 block h-40 w-full rounded-md text-sm ring-1 ring-zinc-300"
          >
            {COUNTRY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.countries.errorId} errors={errorsOf(fields.countries)} />
        </div>
        <CheckboxGroup
          field={fields.trafficSources}
          label="Allowed traffic sources (none checked: all allowed)"
          options={options(TRAFFIC_SOURCES)}
          columns={3}
        />
        <div className="grid gap-3 sm:grid-cols-4">
          <TextField field={fields.offerDaily} label="Cap: offer, per day" />
          <TextField field={fields.offerMonthly} label="Cap: offer, per month" />
          <TextField field={fields.partnerDaily} label="Cap: partner, per day" />
          <TextField field={fields.partnerMonthly} label="Cap: partner, per month" />
        </div>
        <TextAreaField field={fields.termsAndConditions} label="Terms and conditions" rows={5} />
      </Section>
      <Section title="Creatives">
        <TextAreaField field={fields.bannerUrls} label="Banner image URLs (one per line)" rows={3} />
        <TextAreaField field={fields.textLinks} label="Text links (one per line)" rows={3} />
        <TextAreaField field={fields.guidelines} label="Brand guidelines" rows={3} />
      </Section>
      <Section title="Who can join">
        <SelectField field={fields.visibility} label="Visibility" options={options(VISIBILITIES)} />
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            name={fields.autoApprove.name}
            defaultChecked={fields.autoApprove.initialValue === "on"}
            className="size-4"
          />
          Approve applications automatically
        </label>
        <TextAreaField field={fields.questions} label="Application questions (one per line, up to 5)" rows={3} />
        <TextField field={fields.reapplyCooldownDays} label="Days before a declined publisher may apply again" />
      </Section>
      <Button disabled={props.busy}>{props.submitLabel}</Button>
    </Form>
  );
}
