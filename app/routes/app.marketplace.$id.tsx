import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FieldErrors, FormErrors, TextAreaField, errorsOf } from "~/components/form";
import { Markdown } from "~/components/markdown";
import { SignalTable } from "~/components/marketplace-signals";
import { OfferChanges } from "~/components/offer-changes";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader } from "~/components/ui";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { applyToOffer } from "~/modules/applications/applications.server";
import { getMarketplaceOffer } from "~/modules/offers/marketplace.server";
import { describeTerms } from "~/lib/terms";
import { countryName } from "~/lib/countries";
import { TRAFFIC_SOURCES, type TrafficSource } from "~/modules/orgs/schemas";
import { PARTNERSHIP_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.offer.title ?? "Offer"} · Switchboard` }];

const applySchema = z.object({
  message: z.string({ error: "Write your message as text" }).trim().max(2000, "Keep the message under 2,000 characters").default(""),
  answers: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string({ error: "Write your answer as text" }).trim().max(2000, "Keep each answer under 2,000 characters").default("")),
  ),
  acceptTerms: z.preprocess((v) => v === "on", z.boolean()),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  return orErrorResponse(() => getMarketplaceOffer(context.db, tenant, uuidParam(params.id, "Offer")));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Offer");
  const result = await handleForm(await request.formData(), applySchema, (input) =>
    applyToOffer(context.db, tenant, { offerId: id, ...input }, { appUrl: context.config.APP_URL }),
  );
  if (!result.ok) return result.response;
  return { ...result.reply, applied: result.value.status };
}

export default function MarketplaceOffer() {
  const { offer, merchant, niches, signals, changes, partnership, application, canApply } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "apply",
    lastResult: result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: applySchema }),
  });
  const countries =
    offer.countryMode === "all"
      ? "Worldwide"
      : `${offer.countryMode === "include" ? "Only" : "All but"} ${offer.countries.map(countryName).join(", ")}`;
  const applied = result && "applied" in result ? result.applied : null;
  return (
    <>
      <PageHeader
        title={offer.title}
        description={`by ${merchant.name} · ${niches.map((n) => n.name).join(", ")}`}
        actions={
          partnership ? (
            <Badge tone={partnership.status} label={`Partnership: ${PARTNERSHIP_STATUS_LABELS[partnership.status].toLowerCase()}`} />
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {applied === "approved" ? <Alert tone="success">You are a partner of this offer now.</Alert> : null}
          {applied === "pending" ? (
            <Alert tone="success">Application sent. The merchant will decide; we email you either way.</Alert>
          ) : null}
          {application?.status === "rejected" ? (
            <Alert tone="warning">Your last application was declined: {application.decisionReason}</Alert>
          ) : null}
          {application?.status === "pending" && !applied ? <Alert>Your application is waiting for the merchant.</Alert> : null}
          <Card title="About the offer">
            <Markdown>{offer.description}</Markdown>
          </Card>
          <Card title="Terms">
            <DescriptionList
              items={[
                ["Payout", describeTerms(offer.terms, offer.currency)],
                ["Currency", offer.currency],
                ["Cookie window", `${offer.cookieDays} days`],
                ["Validation period", `${offer.validationDays} days`],
                ["Countries", countries],
                [
                  "Traffic allowed",
                  offer.trafficSources.length
                    ? offer.trafficSources.map((t) => TRAFFIC_SOURCES[t as TrafficSource] ?? t).join(", ")
                    : "All sources",
                ],
                [
                  "Approval",
                  offer.visibility === "public"
                    ? "Instant"
                    : offer.visibility === "private"
                      ? "By invitation"
                      : offer.autoApprove
                        ? "Automatic"
                        : "Reviewed by the merchant",
                ],
              ]}
            />
            {offer.termsAndConditions ? <p className="mt-4 whitespace-pre-line text-sm text-zinc-700">{offer.termsAndConditions}</p> : null}
          </Card>
          <Card title="Performance">
            <SignalTable windows={signals} currency={offer.currency} />
          </Card>
          {offer.creatives.banners.length || offer.creatives.textLinks.length || offer.creatives.guidelines ? (
            <Card title="Creatives">
              <ul className="list-disc space-y-1 pl-5 text-sm">
                {offer.creatives.banners.map((b) => (
                  <li key={b.url}>{b.url}</li>
                ))}
                {offer.creatives.textLinks.map((t) => (
                  <li key={t}>{t}</li>
                ))}
              </ul>
              {offer.creatives.guidelines ? (
                <p className="mt-3 whitespace-pre-line text-sm text-zinc-700">{offer.creatives.guidelines}</p>
              ) : null}
            </Card>
          ) : null}
          <OfferChanges changes={changes} title="What changed" />
        </div>
        <div className="space-y-6">
          <Card title={merchant.name}>
            <p className="text-sm text-zinc-700">{merchant.profile?.description}</p>
            {merchant.profile?.website ? <p className="mt-2 text-sm text-zinc-500">{merchant.profile.website}</p> : null}
          </Card>
          {canApply && !applied ? (
            <Card title={offer.visibility === "public" ? "Join this offer" : "Apply to this offer"}>
              <Form method="post" {...getFormProps(form)} className="space-y-4">
                <FormErrors errors={form.errors} />
                <TextAreaField field={fields.message} label="Message to the merchant" rows={3} />
                {offer.questions.map((question, i) => (
                  <div key={question}>
                    <label htmlFor={`answer-${i}`} className="block text-sm font-medium text-zinc-800">
                      {question}
                    </label>
                    <textarea
                      id={`answer-${i}`}
                      name="answers"
                      rows={2}
                      className="mt-1.5 block w-full rounded-md px-3 py-2 text-sm ring-1 ring-zinc-300"
                    />
                  </div>
                ))}
                <FieldErrors id={fields.answers.errorId} errors={errorsOf(fields.answers)} />
                <label className="flex items-center gap-2 text-sm text-zinc-700">
                  <input type="checkbox" name="acceptTerms" className="size-4" /> I accept the offer&apos;s terms and conditions
                </label>
                <FieldErrors id={fields.acceptTerms.errorId} errors={fields.acceptTerms.errors} />
                <Button disabled={busy}>{offer.visibility === "public" ? "Join offer" : "Apply"}</Button>
              </Form>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
