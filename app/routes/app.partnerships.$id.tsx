import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { ConversionTable } from "~/components/conversion";
import { CopyField } from "~/components/copy-field";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader, Table } from "~/components/ui";
import { formatCount } from "~/lib/counts";
import { handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { CONVERSION_STATUS_LABELS, OFFER_STATUS_LABELS, PARTNERSHIP_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { describeTerms, effectiveTerms } from "~/lib/terms";
import { buildPartnershipLink, getPartnershipTracking } from "~/modules/tracking/partnership-tracking.server";
import { linkBuilderSchema } from "~/modules/tracking/schemas";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.offer.title ?? "Partnership"} · Switchboard` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Partnership");
  return orErrorResponse(() => getPartnershipTracking(context.db, tenant, id, context.tracking));
}

/** The link builder: answers the built URL, or the error next to its field. It changes nothing. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Partnership");
  const result = await handleForm(await request.formData(), linkBuilderSchema, (input) =>
    buildPartnershipLink(context.db, tenant, id, input, context.tracking),
  );
  return result.ok ? { ...result.reply, done: "link", built: result.value.url } : result.response;
}

export default function PartnershipPage() {
  const p = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const live = p.partnership.status === "active" && p.offer.status === "active";
  return (
    <>
      <PageHeader
        title={p.offer.title}
        description={`${p.merchantName} · your rate: ${describeTerms(effectiveTerms(p.offer.terms, p.partnership.customTerms), p.offer.currency)} · cookie window ${p.offer.cookieDays} days`}
        actions={<Badge tone={p.partnership.status} label={PARTNERSHIP_STATUS_LABELS[p.partnership.status]} />}
      />
      <div className="space-y-6">
        {!live ? (
          <Alert tone="warning">
            {p.partnership.status !== "active"
              ? `This partnership is ${PARTNERSHIP_STATUS_LABELS[p.partnership.status].toLowerCase()}: the link does not send visitors to the offer and earns nothing.`
              : `The offer is ${labelOf(OFFER_STATUS_LABELS, p.offer.status).toLowerCase()}: the link does not send visitors to it and earns nothing.`}
          </Alert>
        ) : null}
        <Card title="Your tracking link" description="Share it as it is, or build one with sub ids and a deep link below.">
          <CopyField id="tracking-link" label="Tracking link" value={p.linkUrl} />
          {p.coupons.length ? (
            <div className="mt-4 text-sm">
              <span className="font-medium text-zinc-800">Your coupon codes: </span>
              {p.coupons.map((c, i) => (
                <span key={c.id}>
                  {i ? ", " : null}
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5">{c.code}</code>
                </span>
              ))}
              <p className="mt-1 text-xs text-zinc-500">Orders with these codes count for you, even without a click on your link.</p>
            </div>
          ) : null}
        </Card>
        <Card
          title="Link builder"
          description={
            p.offer.deepLinkDomains.length
              ? `Sub ids come back with each conversion, so you can tell your placements apart. A deep link may point to any https page on ${p.offer.deepLinkDomains.join(", ")}.`
              : "Sub ids come back with each conversion, so you can tell your placements apart. This offer takes no deep links."
          }
        >
          <LinkBuilder result={result} built={result && "built" in result ? result.built : null} />
        </Card>
        <Card title={`Last ${p.days} days`}>
          <div className="grid gap-6 lg:grid-cols-2">
            <DescriptionList
              items={[
                ["Clicks", formatCount(p.clicks.clicks)],
                ["Unique clicks", formatCount(p.clicks.uniqueClicks)],
                ["Bots filtered", formatCount(p.clicks.botClicks)],
              ]}
            />
            {p.byStatus.length ? (
              <Table columns={["Status", "Conversions", "Commission"]}>
                {p.byStatus.map((s) => (
                  <tr key={`${s.status}-${s.currency}`}>
                    <td className="py-2">
                      <Badge tone={s.status} label={labelOf(CONVERSION_STATUS_LABELS, s.status)} />
                    </td>
                    <td className="py-2">{formatCount(s.count)}</td>
                    <td className="py-2">{formatMoney(s.commissionMinor, s.currency)}</td>
                  </tr>
                ))}
              </Table>
            ) : (
              <p className="text-sm text-zinc-500">No conversions in the last {p.days} days.</p>
            )}
          </div>
        </Card>
        <Card title="Latest conversions">
          {p.latest.length ? (
            <ConversionTable rows={p.latest} viewer="publisher" columns={["order", "status", "sale", "commission"]} />
          ) : (
            <p className="text-sm text-zinc-500">No conversions yet.</p>
          )}
          <Link to={`/app/conversions?offer=${p.offer.id}`} className="mt-4 inline-block text-sm font-semibold text-indigo-600">
            All conversions on this offer →
          </Link>
        </Card>
      </div>
    </>
  );
}

type LinkFields = { sub1: string; sub2: string; sub3: string; sub4: string; sub5: string; url: string };

function LinkBuilder({ result, built }: { result: SubmissionResult<string[]> | undefined; built: string | null }) {
  const [form, fields] = useForm<LinkFields>({ id: "link-builder", lastResult: result });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <FormErrors errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-5">
        {(["sub1", "sub2", "sub3", "sub4", "sub5"] as const).map((name) => (
          <TextField key={name} field={fields[name]} label={name} />
        ))}
      </div>
      <TextField field={fields.url} label="Deep link (optional)" type="url" placeholder="https://" />
      <Button variant="secondary">Build link</Button>
      {built ? <CopyField id="built-link" label="Your link" value={built} /> : null}
    </Form>
  );
}
