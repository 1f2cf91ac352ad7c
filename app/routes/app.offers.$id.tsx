import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { FormErrors, TextField } from "~/components/form";
import { OfferChanges } from "~/components/offer-changes";
import { OfferForm, offerFormDefaults } from "~/components/offer-form";
import { Alert, Badge, Button, Card, PageHeader } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { invitePublisher } from "~/modules/applications/partnerships.server";
import { feeForMerchant } from "~/modules/commissions/fees.server";
import { formatBps } from "~/lib/money";
import { changeOfferStatus, getMerchantOffer, updateOffer } from "~/modules/offers/offers.server";
import { offerFormSchema } from "~/modules/offers/schemas";
import { listNiches } from "~/modules/orgs/organizations.server";
import { OFFER_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.offer.title ?? "Offer"} · Switchboard` }];

const inviteSchema = z.object({
  publisherSlug: z
    .string({ error: "Enter the publisher's handle" })
    .trim()
    .toLowerCase()
    .min(1, "Enter the publisher's handle")
    .max(60, "A handle is at most 60 characters"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Offer");
  const [found, niches, fee] = await Promise.all([
    orErrorResponse(() => getMerchantOffer(context.db, tenant, id)),
    listNiches(context.db),
    feeForMerchant(context.db, tenant.organization.id),
  ]);
  return { ...found, allNiches: niches, feeBps: fee.bps };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Offer");
  // Another tenant's offer is 404 before its form is even read.
  await orErrorResponse(() => getMerchantOffer(context.db, tenant, id));
  const formData = await request.formData();
  const intent = formIntent(formData, ["save", "invite", "submit", "pause", "resume", "archive"]);
  const links = { appUrl: context.config.APP_URL };
  const result = await run();
  if (!result.ok) return result.response;
  return { ...result.reply, done: intent };

  function run() {
    switch (intent) {
      case "save":
        return handleForm(formData, offerFormSchema, (input) => updateOffer(context.db, tenant, id, input, links));
      case "invite":
        return handleForm(formData, inviteSchema, (input) => invitePublisher(context.db, tenant, { offerId: id, ...input }, links));
      case "submit":
      case "pause":
      case "resume":
      case "archive":
        return handleForm(formData, z.object({}), () => changeOfferStatus(context.db, tenant, id, intent));
    }
  }
}

const doneMessages: Record<string, string> = {
  save: "Offer saved.",
  submit: "Submitted: the network team will review the offer.",
  pause: "Offer paused. It no longer shows in the marketplace.",
  resume: "Offer is live again.",
  archive: "Offer archived.",
  invite: "Invitation sent.",
};

export default function OfferPage() {
  const { offer, niches, allNiches, changes, feeBps } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const intent = intentOf(result);
  const done = result && "done" in result ? doneMessages[String(result.done)] : params.has("saved") ? "Draft saved." : null;
  const otherErrors = intent !== "save" && intent !== "invite" && result?.error ? Object.values(result.error).flat() : [];
  const s = offer.status;
  return (
    <>
      <PageHeader
        title={offer.title}
        description={`Network fee on this offer: ${formatBps(feeBps)} of each commission, charged to you on top of it.`}
        actions={<Badge tone={s} label={OFFER_STATUS_LABELS[s]} />}
      />
      <div className="space-y-6">
        {done ? <Alert tone="success">{done}</Alert> : null}
        {otherErrors.length ? <Alert tone="error">{otherErrors.join(" ")}</Alert> : null}
        {s === "draft" && offer.reviewReason ? (
          <Alert tone="warning">The network team sent this offer back: {offer.reviewReason}</Alert>
        ) : null}
        <Card title="Status">
          <div className="flex flex-wrap gap-3">
            {s === "draft" ? <StatusButton intent="submit" label="Submit for review" /> : null}
            {s === "active" ? <StatusButton intent="pause" label="Pause" variant="secondary" /> : null}
            {s === "paused" ? <StatusButton intent="resume" label="Resume" /> : null}
            {s !== "archived" && s !== "in_review" ? <StatusButton intent="archive" label="Archive" variant="danger" /> : null}
            {s === "in_review" ? <p className="text-sm text-zinc-600">Waiting for the network team.</p> : null}
          </div>
        </Card>
        {offer.visibility === "private" && s === "active" ? (
          <Card title="Invite a publisher" description="Private offers are joined only by invitation.">
            <InviteForm result={intent === "invite" ? result : undefined} />
          </Card>
        ) : null}
        <OfferChanges changes={changes} title="Change history" description="What partners were told about." />
        {s !== "archived" ? (
          <OfferForm
            lastResult={intent === "save" ? result : undefined}
            defaultValue={offerFormDefaults(offer, niches)}
            niches={allNiches}
            submitLabel="Save offer"
            busy={busy}
          />
        ) : null}
      </div>
    </>
  );
}

function InviteForm({ result }: { result: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm<{ publisherSlug: string }>({ id: "invite", lastResult: result });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-3">
      <input type="hidden" name="intent" value="invite" />
      <div className="basis-full empty:hidden">
        <FormErrors errors={form.errors} />
      </div>
      <div className="min-w-0 flex-1">
        <TextField field={fields.publisherSlug} label="Publisher handle" />
      </div>
      <Button variant="secondary" className="mt-7">
        Invite
      </Button>
    </Form>
  );
}

function StatusButton({
  intent,
  label,
  variant = "primary",
}: {
  intent: string;
  label: string;
  variant?: "primary" | "secondary" | "danger";
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button variant={variant}>{label}</Button>
    </Form>
  );
}
