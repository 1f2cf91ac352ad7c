import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OfferForm, offerFormDefaults } from "~/components/offer-form";
import { PageHeader } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { createOffer } from "~/modules/offers/offers.server";
import { offerFormSchema } from "~/modules/offers/schemas";
import { listNiches } from "~/modules/orgs/organizations.server";

export const meta: MetaFunction = () => [{ title: "New offer · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  if (tenant.organization.kind !== "merchant") throw new Response("Not found", { status: 404 });
  return { niches: await listNiches(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const result = await handleForm(await request.formData(), offerFormSchema, (input) => createOffer(context.db, tenant, input));
  if (!result.ok) return result.response;
  return redirect(`/app/offers/${result.value.id}?saved=1`);
}

export default function NewOffer() {
  const { niches } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="New offer" description="Saved as a draft. Submit it for review when it is ready." />
      <OfferForm lastResult={lastResult} defaultValue={offerFormDefaults(null, [])} niches={niches} submitLabel="Save draft" busy={busy} />
    </>
  );
}
