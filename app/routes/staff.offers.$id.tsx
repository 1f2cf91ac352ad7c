import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Markdown } from "~/components/markdown";
import { ReasonForm, errorsBesideReason } from "~/components/reason-form";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader } from "~/components/ui";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { getOfferForReview } from "~/modules/moderation/offers.server";
import { reviewOffer } from "~/modules/offers/review.server";
import { describeTerms } from "~/lib/terms";
import { OFFER_STATUS_LABELS, ORGANIZATION_STATUS_LABELS, labelOf } from "~/lib/labels";
import { COUNTRY_MODES, VISIBILITIES } from "~/modules/offers/schemas";
import { TRAFFIC_SOURCES } from "~/modules/orgs/schemas";
import { countryName } from "~/lib/countries";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.offer.title ?? "Offer"} · Switchboard staff` }];

const decisionSchema = z.object({
  decision: z.enum(["approve", "send_back"], { error: "Unknown decision" }),
  reason: z.string({ error: "Write the reason as text" }).trim().max(1000, "Keep the reason under 1,000 characters").optional(),
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return orErrorResponse(() => getOfferForReview(context.db, staff, uuidParam(params.id, "Offer")));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Offer");
  const result = await handleForm(await request.formData(), decisionSchema, (input) =>
    reviewOffer(context.db, staff, { offerId: id, ...input }, { appUrl: context.config.APP_URL }),
  );
  return result.ok ? { ...result.reply, done: result.value.status } : result.response;
}

export default function StaffOffer() {
  const { offer, merchant, merchantProfile, nicheNames } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = errorsBesideReason(result);
  return (
    <>
      <PageHeader
        title={offer.title}
        description={`by ${merchant.name} (${ORGANIZATION_STATUS_LABELS[merchant.status].toLowerCase()})`}
        actions={<Badge tone={offer.status} label={OFFER_STATUS_LABELS[offer.status]} />}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {result && "done" in result ? (
            <Alert tone="success">
              Saved: the offer is now {labelOf(OFFER_STATUS_LABELS, String(result.done)).toLowerCase()}. The merchant was emailed.
            </Alert>
          ) : null}
          {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
          <Card title="Offer">
            <Markdown>{offer.description}</Markdown>
            <div className="mt-4">
              <DescriptionList
                items={[
                  ["Payout", describeTerms(offer.terms, offer.currency)],
                  ["Currency", offer.currency],
                  ["Niches", nicheNames.join(", ") || "—"],
                  ["Countries", describeCountries(offer.countryMode, offer.countries)],
                  ["Traffic sources", offer.trafficSources.map((t) => labelOf(TRAFFIC_SOURCES, t)).join(", ") || "Any"],
                  ["Landing URL", offer.landingUrl],
                  ["Deep-link domains", offer.deepLinkDomains.join(", ") || "—"],
                  ["Cookie / validation", `${offer.cookieDays} / ${offer.validationDays} days`],
                  ["Visibility", VISIBILITIES[offer.visibility]],
                  ["Auto-approve", offer.autoApprove ? "Yes" : "No"],
                  [
                    "Questions",
                    offer.questions.length ? (
                      <ol key="q" className="list-decimal pl-5">
                        {offer.questions.map((q, i) => (
                          <li key={i}>{q}</li>
                        ))}
                      </ol>
                    ) : (
                      "—"
                    ),
                  ],
                  [
                    "Terms",
                    <p key="t" className="whitespace-pre-line">
                      {offer.termsAndConditions || "—"}
                    </p>,
                  ],
                ]}
              />
            </div>
          </Card>
          <Card title="Merchant">
            {merchantProfile.kind === "merchant" ? (
              <DescriptionList
                items={[
                  ["Website", merchantProfile.profile.website ?? "—"],
                  ["About", merchantProfile.profile.description || "—"],
                ]}
              />
            ) : null}
          </Card>
        </div>
        {offer.status === "in_review" ? (
          <div className="space-y-6">
            <Card title="Approve" description="The offer goes live in the marketplace.">
              <Form method="post">
                <input type="hidden" name="decision" value="approve" />
                <Button disabled={busy}>Approve offer</Button>
              </Form>
            </Card>
            <ReasonForm
              decision="send_back"
              title="Send back"
              description="The merchant reads the reason and can resubmit."
              label="Send back"
              busy={busy}
              result={result}
            />
          </div>
        ) : null}
      </div>
    </>
  );
}

function describeCountries(mode: keyof typeof COUNTRY_MODES, countries: string[]) {
  return mode === "all" ? COUNTRY_MODES.all : `${COUNTRY_MODES[mode]}: ${countries.map(countryName).join(", ")}`;
}
