import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ConversionAttribution, ConversionBreakdown, ConversionDetails, ConversionStatus, ConversionTerms } from "~/components/conversion";
import { Alert, Card, PageHeader } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { getConversion } from "~/modules/tracking/conversions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Order ${data?.conversion.orderId ?? ""} · Switchboard` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Conversion");
  return { kind: tenant.organization.kind, conversion: await orErrorResponse(() => getConversion(context.db, tenant, id)) };
}

export default function ConversionPage() {
  const { kind, conversion: c } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Order ${c.orderId}`}
        description={`${c.event} on ${c.offerTitle} · ${kind === "merchant" ? `referred by ${c.publisherName}` : `paid by ${c.merchantName}`}`}
        actions={<ConversionStatus conversion={c} />}
      />
      <div className="space-y-6">
        {c.isTest ? <Alert tone="info">A test conversion, made with the integration page's test tool: it moves no money.</Alert> : null}
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Amounts" description="The same breakdown the merchant, the publisher and the network see.">
            <ConversionBreakdown conversion={c} />
          </Card>
          <Card title="Terms used">
            <ConversionTerms conversion={c} />
          </Card>
          <Card title="Conversion">
            <ConversionDetails conversion={c} viewer={kind} />
          </Card>
          <Card title="Attribution">
            <ConversionAttribution conversion={c} />
          </Card>
        </div>
        <Link to="/app/conversions" className="inline-block text-sm font-semibold text-indigo-600">
          ← All conversions
        </Link>
      </div>
    </>
  );
}
