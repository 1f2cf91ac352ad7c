import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ConversionAttribution, ConversionBreakdown, ConversionDetails, ConversionTable, ConversionTerms } from "~/components/conversion";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { findConversions } from "~/modules/tracking/conversion-search.server";

export const meta: MetaFunction = () => [{ title: "Conversions · Switchboard staff" }];

const searchSchema = z.string().trim().max(200, "Search with at most 200 characters: an id, an order id or a click id.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const parsed = searchSchema.safeParse(new URL(request.url).searchParams.get("q") ?? "");
  if (!parsed.success) return { q: "", error: parsed.error.issues[0]!.message, matches: [] };
  return { q: parsed.data, error: null, matches: await findConversions(context.db, staff, parsed.data) };
}

export default function StaffConversions() {
  const { q, error, matches } = useLoaderData<typeof loader>();
  const [only] = matches.length === 1 ? matches : [];
  return (
    <>
      <PageHeader title="Conversions" description="Find any conversion by its id, its order id or its click id." />
      <div className="space-y-6">
        <Card>
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <label className="min-w-0 flex-1 text-sm font-medium text-zinc-800">
              Conversion id, order id or click id
              <input
                name="q"
                defaultValue={q}
                maxLength={200}
                className="mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300"
              />
            </label>
            <Button variant="secondary">Find</Button>
          </Form>
          {error ? (
            <div className="mt-4">
              <Alert tone="warning">{error}</Alert>
            </div>
          ) : null}
          {q && !error && matches.length === 0 ? (
            <p className="mt-4 text-sm text-zinc-500">No conversion has this id, order id or click id.</p>
          ) : null}
          {matches.length > 1 ? (
            <ConversionTable
              className="mt-4"
              rows={matches}
              viewer="staff"
              columns={["order", "merchant", "publisher", "offer", "status", "cost"]}
            />
          ) : null}
        </Card>
        {only ? (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title={`Order ${only.orderId}`}>
              <ConversionDetails conversion={only} viewer="staff" />
            </Card>
            <Card title="Amounts" description="What the merchant and the publisher see too.">
              <ConversionBreakdown conversion={only} />
            </Card>
            <Card title="Terms and fee used">
              <ConversionTerms conversion={only} />
            </Card>
            <Card title="Click">
              <ConversionAttribution conversion={only} />
            </Card>
            <Card title="Ledger">
              {only.postings ? (
                <Link to={`/staff/ledger/postings?conversion=${only.id}`} className="text-sm font-semibold text-indigo-600 hover:underline">
                  {only.postings === 1 ? "Its posting" : `Its ${only.postings} postings`} →
                </Link>
              ) : (
                <p className="text-sm text-zinc-500">
                  Nothing booked: only approved and reversed conversions book money, and test conversions never do.
                </p>
              )}
            </Card>
          </div>
        ) : null}
      </div>
    </>
  );
}
