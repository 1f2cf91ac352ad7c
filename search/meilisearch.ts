import { Meilisearch, type MultiSearchQuery } from "meilisearch";
import { countryCounts } from "./countries";
import { FACETS, type Facet, type OfferDocument, type OfferSearch, type SearchQuery, type SearchResult } from "./types";

export const MEILI_SETTINGS = {
  searchableAttributes: ["title", "merchantName", "nicheNames", "description"],
  filterableAttributes: ["nicheSlugs", "payoutType", "countries", "approvalMode", "merchantId", "currency"],
  sortableAttributes: ["epcMinor", "commissionBps", "commissionFlatMinor", "createdAt"],
  faceting: { maxValuesPerFacet: 300 },
  typoTolerance: { enabled: true },
  pagination: { maxTotalHits: 100_000 },
};

export const FACET_ATTRIBUTE: Record<Facet, string> = {
  niche: "nicheSlugs",
  payoutType: "payoutType",
  country: "countries",
  approvalMode: "approvalMode",
};

/** A filter value as a Meilisearch string literal: user text can never close the quote. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** One `attribute IN [...]` clause per filtered facet (values OR-ed, facets AND-ed). */
export function buildFilter(filters: SearchQuery["filters"], except?: Facet): string[] {
  return FACETS.filter((f) => f !== except && filters[f].length > 0).map((f) =>
    f === "country"
      ? `(${filters.country.map((c) => `countries = ${quoteFilterValue(c)} OR (countries = "*" AND NOT countries = ${quoteFilterValue(`!${c}`)})`).join(" OR ")})`
      : `${FACET_ATTRIBUTE[f]} IN [${filters[f].map(quoteFilterValue).join(", ")}]`,
  );
}

export function buildSort(query: SearchQuery): string[] | undefined {
  if (query.sort === "epc") return ["epcMinor:desc", "createdAt:desc"];
  if (query.sort === "commission") return ["commissionBps:desc", "commissionFlatMinor:desc"];
  if (query.sort === "newest" || query.text.trim() === "") return ["createdAt:desc"];
  return undefined;
}

/**
 * The main query returns the page and the counts of unfiltered facets; each filtered facet gets its
 * own zero-hit query without its own filter, so its counts stay disjunctive.
 */
export function buildSearchRequests(indexUid: string, query: SearchQuery): MultiSearchQuery[] {
  const filtered = FACETS.filter((f) => query.filters[f].length > 0);
  const main: MultiSearchQuery = {
    indexUid,
    q: query.text,
    filter: buildFilter(query.filters),
    sort: buildSort(query),
    page: query.page,
    hitsPerPage: query.perPage,
    facets: FACETS.filter((f) => !filtered.includes(f)).map((f) => FACET_ATTRIBUTE[f]),
  };
  const perFacet = filtered.map((f): MultiSearchQuery => ({
    indexUid,
    q: query.text,
    filter: buildFilter(query.filters, f),
    facets: [FACET_ATTRIBUTE[f]],
    hitsPerPage: 0,
    page: 1,
  }));
  return [main, ...perFacet];
}

export class MeilisearchOfferSearch implements OfferSearch {
  readonly engine = "meilisearch" as const;
  private readonly client: Meilisearch;

  constructor(
    options: { host: string; apiKey?: string },
    private readonly indexUid = "offers",
  ) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey });
  }

  private get offersIndex() {
    return this.client.index<OfferDocument>(this.indexUid);
  }

  async setup() {
    await this.client.createIndex(this.indexUid, { primaryKey: "id" }).waitTask();
    await this.offersIndex.updateSettings(MEILI_SETTINGS).waitTask();
  }

  async index(documents: OfferDocument[]) {
    if (documents.length) await this.offersIndex.addDocuments(documents, { primaryKey: "id" }).waitTask();
  }

  async remove(offerIds: string[]) {
    if (offerIds.length) await this.offersIndex.deleteDocuments(offerIds).waitTask();
  }

  async clear() {
    await this.offersIndex.deleteAllDocuments().waitTask();
  }

  async health() {
    try {
      const { status } = await this.client.health();
      const stats = await this.offersIndex.getStats();
      return { ok: status === "available", detail: `Meilisearch ${status}, ${stats.numberOfDocuments} offers indexed` };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const requests = buildSearchRequests(this.indexUid, query);
    const { results } = await this.client.multiSearch<{ queries: MultiSearchQuery[] }, OfferDocument>({ queries: requests });
    const filtered = FACETS.filter((f) => query.filters[f].length > 0);
    const [main, ...perFacet] = results;
    const distribution = (r: (typeof results)[number] | undefined, f: Facet) =>
      (r?.facetDistribution?.[FACET_ATTRIBUTE[f]] ?? {}) as Record<string, number>;
    const facets = Object.fromEntries(
      FACETS.map((f) => {
        const counts = filtered.includes(f) ? distribution(perFacet[filtered.indexOf(f)], f) : distribution(main, f);
        return [f, f === "country" ? countryCounts(counts) : counts];
      }),
    ) as SearchResult["facets"];
    const total = main?.totalHits ?? 0;
    // Paged searches count exhaustively up to maxTotalHits; a total at the cap means "at least".
    const totalIsEstimate = total >= MEILI_SETTINGS.pagination.maxTotalHits;
    return { hits: (main?.hits ?? []) as OfferDocument[], total, totalIsEstimate, facets, estimatedFacets: [] };
  }
}
