import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ConversionTable } from "~/components/conversion";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { requireTenant } from "~/lib/guards.server";
import { CONVERSION_STATUS_LABELS } from "~/lib/labels";
import { listConversions } from "~/modules/tracking/conversions.server";
import { SUB_MAX_LENGTH } from "~/modules/tracking/landing-url";
import { readConversionQuery } from "~/modules/tracking/schemas";

export const meta: MetaFunction = () => [{ title: "Conversions · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const { query, errors } = readConversionQuery(new URL(request.url).searchParams);
  const page = await listConversions(context.db, tenant, query);
  return { kind: tenant.organization.kind, query, errors, ...page };
}

const input = "block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300";

export default function Conversions() {
  const { kind, query, errors, rows, next, choices } = useLoaderData<typeof loader>();
  const filters = Object.entries(query).filter(([, v]) => typeof v === "string" && v !== "") as [string, string][];
  const older = new URLSearchParams([...filters, ...(next ? [["after", next]] : [])]);
  return (
    <>
      <PageHeader
        title="Conversions"
        description={
          kind === "merchant"
            ? "Every conversion on your offers, newest first: what the publisher earns, the network fee, and what you pay."
            : "Every conversion you referred, newest first, with its status and your commission."
        }
      />
      <div className="space-y-4">
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        <Card>
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
            <label className="text-xs text-zinc-600">
              Offer
              <select name="offer" defaultValue={query.offer ?? ""} className={input}>
                <option value="">All offers</option>
                {choices.offers.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-xs text-zinc-600">
              Status
              <select name="status" defaultValue={query.status ?? ""} className={input}>
                <option value="">Any status</option>
                {Object.entries(CONVERSION_STATUS_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-xs text-zinc-600">
              From
              <input type="date" name="from" defaultValue={query.from} className={input} />
            </label>
            <label className="text-xs text-zinc-600">
              To
              <input type="date" name="to" defaultValue={query.to} className={input} />
            </label>
            {kind === "merchant" ? (
              <label className="text-xs text-zinc-600">
                Publisher
                <select name="publisher" defaultValue={query.publisher ?? ""} className={input}>
                  <option value="">All publishers</option>
                  {choices.publishers.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label className="text-xs text-zinc-600">
                Sub id
                <input name="sub" defaultValue={query.sub} maxLength={SUB_MAX_LENGTH} placeholder="Any of sub1 to sub5" className={input} />
              </label>
            )}
            <Button variant="secondary">Filter</Button>
          </Form>
          {rows.length === 0 ? (
            <p className="py-6 text-center text-sm text-zinc-500">
              {filters.length || query.after ? "No conversions match." : "No conversions yet."}
            </p>
          ) : (
            <ConversionTable
              rows={rows}
              viewer={kind}
              columns={
                kind === "merchant"
                  ? ["offer", "publisher", "order", "status", "sale", "commission", "fee", "cost"]
                  : ["offer", "order", "status", "sale", "commission", "subIds"]
              }
            />
          )}
          <div className="mt-4 flex flex-wrap gap-4 text-sm font-semibold">
            {query.after ? (
              <Link to={`?${new URLSearchParams(filters)}`} className="text-indigo-600">
                ← Newest
              </Link>
            ) : null}
            {next ? (
              <Link to={`?${older}`} className="text-indigo-600">
                Older conversions →
              </Link>
            ) : null}
          </div>
        </Card>
      </div>
    </>
  );
}
