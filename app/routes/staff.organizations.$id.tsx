import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireStaff, uuidParam } from "~/lib/guards.server";
import { merchantInvoiceSummary } from "~/modules/invoices/invoice-data.server";
import { getOrganizationForStaff } from "~/modules/moderation/organizations.server";
import { countryName } from "~/lib/countries";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { TRAFFIC_SOURCES, type TrafficSource } from "~/modules/orgs/schemas";
import { MEMBER_ROLE_LABELS, ORGANIZATION_KIND_LABELS, ORGANIZATION_STATUS_LABELS, SOCIAL_PLATFORM_LABELS, labelOf } from "~/lib/labels";
import { ReasonForm, errorsBesideReason } from "~/components/reason-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.organization.name ?? "Organization"} · Switchboard staff` },
];

const decisionSchema = z.object({
  decision: z.enum(["approve", "reject", "suspend", "reactivate"], { error: "Unknown decision" }),
  reason: z.string({ error: "Write the reason as text" }).trim().max(1000, "Keep the reason under 1,000 characters").optional(),
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Organization");
  const [found, invoicing] = await Promise.all([
    orErrorResponse(() => getOrganizationForStaff(context.db, staff, id)),
    merchantInvoiceSummary(context.db, staff, id),
  ]);
  return { ...found, invoicing: found.organization.kind === "merchant" ? invoicing : null };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const id = uuidParam(params.id, "Organization");
  const result = await handleForm(await request.formData(), decisionSchema, (input) =>
    reviewOrganization(context.db, staff, { organizationId: id, ...input }, { appUrl: context.config.APP_URL }),
  );
  if (!result.ok) return result.response;
  return { ...result.reply, done: result.value.status };
}

const READS_REASON = "The organization reads the reason in its email and dashboard.";

export default function StaffOrganization() {
  const { organization, profile, members, history, invoicing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = errorsBesideReason(result);
  const s = organization.status;
  return (
    <>
      <PageHeader
        title={organization.name}
        description={`${ORGANIZATION_KIND_LABELS[organization.kind]} · @${organization.slug} · created ${formatDate(organization.createdAt)}`}
        actions={
          <span className="inline-flex gap-1">
            <Badge tone={s} label={ORGANIZATION_STATUS_LABELS[s]} />
            {invoicing?.overdue ? <Badge tone="rejected" label="Overdue" /> : null}
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {result && "done" in result ? (
            <Alert tone="success">
              Saved: the organization is now {labelOf(ORGANIZATION_STATUS_LABELS, String(result.done)).toLowerCase()}. Its owners were
              emailed.
            </Alert>
          ) : null}
          {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
          {organization.statusReason ? <Alert tone="warning">Reason on record: {organization.statusReason}</Alert> : null}
          <Card title="Profile">
            {profile.kind === "merchant" ? (
              <DescriptionList
                items={[
                  ["Website", profile.profile.website ?? "—"],
                  [
                    "About",
                    <p key="d" className="whitespace-pre-line">
                      {profile.profile.description || "—"}
                    </p>,
                  ],
                  ["Logo", profile.profile.logoUrl ?? "—"],
                ]}
              />
            ) : (
              <DescriptionList
                items={[
                  [
                    "About",
                    <p key="d" className="whitespace-pre-line">
                      {profile.profile.description || "—"}
                    </p>,
                  ],
                  ["Websites", profile.profile.websites.join(", ") || "—"],
                  [
                    "Social",
                    profile.profile.socialChannels.map((c) => `${labelOf(SOCIAL_PLATFORM_LABELS, c.platform)}: ${c.url}`).join(", ") || "—",
                  ],
                  ["Niches", profile.niches.map((n) => n.name).join(", ") || "—"],
                  ["Traffic", profile.profile.trafficSources.map((t) => TRAFFIC_SOURCES[t as TrafficSource] ?? t).join(", ") || "—"],
                  ["Country", profile.profile.country ? countryName(profile.profile.country) : "—"],
                ]}
              />
            )}
          </Card>
          <Card title="Members">
            <ul className="divide-y divide-zinc-100 text-sm">
              {members.map((m) => (
                <li key={m.email} className="flex justify-between py-2">
                  <span>
                    {m.name} · {m.email} {m.emailVerifiedAt ? null : <Badge tone="unverified" label="email unverified" />}
                  </span>
                  <span className="text-zinc-600">{labelOf(MEMBER_ROLE_LABELS, m.role)}</span>
                </li>
              ))}
            </ul>
          </Card>
          <Card title="History">
            <ul className="space-y-2 text-sm">
              {history.map((h) => (
                <li key={h.id}>
                  <span className="text-zinc-500">{formatDate(h.createdAt)}</span> · <strong>{h.action}</strong> by{" "}
                  {h.actorEmail ?? "system"}
                  {h.after && "statusReason" in h.after && h.after.statusReason ? (
                    <span className="text-zinc-600"> — {String(h.after.statusReason)}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        </div>
        <div className="space-y-6">
          {invoicing ? (
            <Card
              title="Invoices"
              description={`${invoicing.invoices} issued, ${invoicing.open} open${invoicing.overdue ? ", one or more overdue" : ""}. Issuing now bills every approval and reversal not yet invoiced.`}
            >
              <div className="flex flex-wrap items-center gap-3">
                <Form method="post" action="/staff/invoices">
                  <input type="hidden" name="intent" value="issue" />
                  <input type="hidden" name="merchantId" value={organization.id} />
                  <Button variant="secondary" disabled={busy}>
                    Issue invoice now
                  </Button>
                </Form>
                <Link to={`/staff/invoices?merchant=${organization.id}`} className="text-sm font-semibold text-indigo-600">
                  See invoices
                </Link>
              </div>
            </Card>
          ) : null}
          {s === "pending_review" || s === "rejected" ? (
            <Card title="Approve" description="The organization becomes active and its owners are emailed.">
              <Form method="post">
                <input type="hidden" name="decision" value="approve" />
                <Button disabled={busy}>Approve organization</Button>
              </Form>
            </Card>
          ) : null}
          {s === "pending_review" ? (
            <ReasonForm
              decision="reject"
              title="Reject"
              description={READS_REASON}
              label="Reject organization"
              busy={busy}
              result={result}
            />
          ) : null}
          {s === "active" || s === "pending_review" ? (
            <ReasonForm
              decision="suspend"
              title="Suspend"
              description={READS_REASON}
              label="Suspend organization"
              busy={busy}
              result={result}
            />
          ) : null}
          {s === "suspended" ? (
            <Card title="Reactivate" description="The organization becomes active again and its owners are emailed.">
              <Form method="post">
                <input type="hidden" name="decision" value="reactivate" />
                <Button disabled={busy}>Reactivate organization</Button>
              </Form>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
