import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, Card, PageHeader } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { formatCount } from "~/lib/counts";
import { parseMarketplaceQuery, searchMarketplace } from "~/modules/offers/marketplace.server";
import { countryName } from "~/lib/countries";
import { listNiches } from "~/modules/orgs/organizations.server";
import type { Facet } from "#search/types";
import { FacetList } from "~/components/facet-list";
import { SignalSummary } from "~/components/marketplace-signals";
import { APPROVAL_MODE_LABELS, PAYOUT_TYPE_NAMES, labelOf } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Marketplace · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const query = parseMarketplaceQuery(new URL(request.url).searchParams);
  const [result, niches] = await Promise.all([
    orErrorResponse(() => searchMarketplace(context.search, tenant, query)),
    listNiches(context.db),
  ]);
  return { result, query, nicheNames: Object.fromEntries(niches.map((n) => [n.slug, n.name])) };
}

const facetTitles: Record<Facet, string> = { niche: "Niche", payoutType: "Payout type", country: "Country", approvalMode: "Approval" };

export default function Marketplace() {
  const { result, query, nicheNames } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const label = (facet: Facet, value: string) =>
    facet === "niche"
      ? (nicheNames[value] ?? value)
      : facet === "country"
        ? countryName(value)
        : facet === "payoutType"
          ? labelOf(PAYOUT_TYPE_NAMES, value)
          : labelOf(APPROVAL_MODE_LABELS, value);
  const toggled = (facet: Facet, value: string) => {
    const next = new URLSearchParams(params);
    const values = next.getAll(facet);
    next.delete(facet);
    for (const v of values.includes(value) ? values.filter((x) => x !== value) : [...values, value]) next.append(facet, v);
    next.delete("page");
    return `?${next}`;
  };
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };
  const pages = Math.max(1, Math.ceil(result.total / query.perPage));
  return (
    <>
      <PageHeader
        title="Marketplace"
        description={`${result.totalIsEstimate ? "about " : ""}${formatCount(result.total, result.totalIsEstimate)} offer${result.total === 1 ? "" : "s"} match`}
      />
      <Form method="get" className="mb-6 flex flex-wrap gap-3">
        <input
          type="search"
          name="q"
          defaultValue={query.text}
          placeholder="Search offers, merchants, niches…"
          aria-label="Search offers"
          className="min-w-0 flex-1 basis-full rounded-md px-3 py-2 text-sm ring-1 ring-zinc-300 sm:basis-auto"
        />
        {(["niche", "payoutType", "country", "approvalMode"] as const).flatMap((f) =>
          query.filters[f].map((v) => <input key={`${f}-${v}`} type="hidden" name={f} value={v} />),
        )}
        <select
          name="sort"
          defaultValue={query.sort}
          aria-label="Sort"
          className="min-w-0 flex-1 rounded-md py-2 pl-2 pr-8 text-sm ring-1 ring-zinc-300 sm:flex-none"
        >
          <option value="relevance">Most relevant</option>
          <option value="epc">Highest EPC</option>
          <option value="commission">Highest commission</option>
          <option value="newest">Newest</option>
        </select>
        <Button>Search</Button>
      </Form>
      <div className="grid gap-6 lg:grid-cols-4">
        <aside className="space-y-5">
          {(["niche", "payoutType", "approvalMode", "country"] as const).map((facet) => (
            <FacetList
              key={facet}
              estimated={result.estimatedFacets.includes(facet)}
              title={facetTitles[facet]}
              options={Object.entries(result.facets[facet]).map(([value, count]) => ({
                value,
                count,
                label: label(facet, value),
                active: query.filters[facet].includes(value),
                href: toggled(facet, value),
              }))}
            />
          ))}
        </aside>
        <div className="space-y-4 lg:col-span-3">
          {result.hits.map((o) => (
            <Card key={o.id}>
              <div className="flex flex-wrap items-start justify-between gap-4">
                <div>
                  <Link to={`/app/marketplace/${o.id}`} className="text-base font-semibold text-indigo-600 hover:underline">
                    {o.title}
                  </Link>
                  <p className="text-sm text-zinc-600">
                    {o.merchantName} · {o.nicheNames.join(", ")} · {APPROVAL_MODE_LABELS[o.approvalMode]}
                  </p>
                </div>
                <div className="sm:text-right">
                  <p className="text-lg font-bold text-zinc-900">{o.headline}</p>
                  <p className="text-xs text-zinc-500">{PAYOUT_TYPE_NAMES[o.payoutType]}</p>
                </div>
              </div>
              <SignalSummary
                currency={o.currency}
                figures={{
                  epcMinor: o.epcMinor,
                  conversionRateBps: o.conversionRateBps,
                  approvalRateBps: o.merchantApprovalRateBps,
                  avgDecisionDays: o.merchantAvgValidationDays,
                  reversalRateBps: o.merchantReversalRateBps,
                }}
              />
            </Card>
          ))}
          {result.hits.length === 0 ? (
            <p className="py-12 text-center text-sm text-zinc-500">No offer matches. Try fewer filters or other words.</p>
          ) : null}
          {pages > 1 ? (
            <nav aria-label="Pages" className="flex items-center justify-between text-sm">
              {query.page > 1 ? <Link to={pageLink(query.page - 1)}>← Previous</Link> : <span />}
              <span className="text-zinc-500">
                Page {query.page} of {result.totalIsEstimate ? "about " : ""}
                {formatCount(pages, result.totalIsEstimate)}
              </span>
              {query.page < pages ? <Link to={pageLink(query.page + 1)}>Next →</Link> : <span />}
            </nav>
          ) : null}
        </div>
      </div>
    </>
  );
}
