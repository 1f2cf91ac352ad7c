import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Alert, Badge, Button, Card, PageHeader, Table } from "~/components/ui";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { acceptPartnershipInvitation, listPublisherPartnerships } from "~/modules/applications/partnerships.server";
import { describeTerms, effectiveTerms } from "~/lib/terms";
import { PARTNERSHIP_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Partnerships · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  return { rows: await orErrorResponse(() => listPublisherPartnerships(context.db, tenant)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const result = await handleForm(await request.formData(), z.object({ partnershipId: z.uuid("Unknown invitation") }), (input) =>
    acceptPartnershipInvitation(context.db, tenant, input.partnershipId, { appUrl: context.config.APP_URL }),
  );
  return result.ok ? { ...result.reply, done: true } : result.response;
}

export default function Partnerships() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Partnerships"
        description="The offers you promote, and invitations to private offers. Open one for its tracking link, coupon codes and figures."
      />
      {result && "done" in result ? (
        <div className="mb-4">
          <Alert tone="success">Invitation accepted.</Alert>
        </div>
      ) : null}
      <Card>
        {rows.length ? (
          <Table columns={["Offer", "Merchant", "Your rate", "Status", ""]}>
            {rows.map(({ partnership: p, offer, merchantName }) => (
              <tr key={p.id}>
                <td className="py-3">
                  <Link to={`/app/partnerships/${p.id}`} className="font-medium text-indigo-600 hover:underline">
                    {offer.title}
                  </Link>
                  <Link to={`/app/marketplace/${offer.id}`} className="block text-xs text-zinc-500 hover:underline">
                    Offer details
                  </Link>
                </td>
                <td className="py-3">{merchantName}</td>
                <td className="py-3">
                  {describeTerms(effectiveTerms(offer.terms, p.customTerms), offer.currency)}
                  {p.customTerms ? <span className="ml-1 text-xs text-indigo-700">custom</span> : null}
                </td>
                <td className="py-3">
                  <Badge tone={p.status} label={PARTNERSHIP_STATUS_LABELS[p.status]} />
                </td>
                <td className="py-3 text-right">
                  {p.status === "invited" ? (
                    <Form method="post">
                      <input type="hidden" name="partnershipId" value={p.id} />
                      <Button>Accept invitation</Button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="py-6 text-center text-sm text-zinc-500">
            No partnerships yet.{" "}
            <Link to="/app/marketplace" className="text-indigo-600">
              Find offers
            </Link>
          </p>
        )}
      </Card>
    </>
  );
}
