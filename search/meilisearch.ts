import { Meilisearch, type EnqueuedTaskPromise, type MultiSearchQuery, type Task } from "meilisearch";
import { COUNTRY_CODES } from "~/lib/countries";
import { countryCounts } from "./countries";
import {
  FACETS,
  type Facet,
  type OfferDocument,
  type OfferIndexRebuild,
  type OfferSearch,
  type SearchQuery,
  type SearchResult,
} from "./types";

/**
 * Values Meilisearch counts per facet; the rest vanish from the counts, alphabetically last first.
 * The largest facet is countries: every code, its exclusion and "*" (countries.ts). Niches are a
 * staff-kept taxonomy of a few dozen; twice the country vocabulary leaves room for both to grow.
 */
export const MAX_VALUES_PER_FACET = 2 * (2 * COUNTRY_CODES.length + 1);

/** A batch of 1,000 documents, or new settings on a full index, can take longer than the client's 5 s default. */
const TASK_TIMEOUT_MS = 60_000;

export const MEILI_SETTINGS = {
  searchableAttributes: ["title", "merchantName", "nicheNames", "description"],
  filterableAttributes: ["nicheSlugs", "payoutType", "countries", "approvalMode", "merchantId", "currency"],
  sortableAttributes: ["epcMinor", "commissionBps", "commissionFlatMinor", "createdAt"],
  faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET },
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

/** A task Meilisearch finished without success, with its error code and message. */
export class MeilisearchTaskError extends Error {
  readonly code: string | undefined;
  constructor(task: Task) {
    super(
      `Meilisearch ${task.type} task ${task.uid} ${task.status}: ${task.error ? `${task.error.code}: ${task.error.message}` : "no error given"}`,
    );
    this.name = "MeilisearchTaskError";
    this.code = task.error?.code;
  }
}

/**
 * Waits for the task and throws unless it succeeded (or failed with a `tolerated` code):
 * meilisearch-js resolves failed tasks too, and an indexing job must fail so pg-boss retries it.
 */
export async function taskSucceeded(enqueued: EnqueuedTaskPromise, tolerated: string[] = []): Promise<Task> {
  const task = await enqueued.waitTask();
  if (task.status === "succeeded" || (task.error && tolerated.includes(task.error.code))) return task;
  throw new MeilisearchTaskError(task);
}

export class MeilisearchOfferSearch implements OfferSearch {
  readonly engine = "meilisearch" as const;
  private readonly client: Meilisearch;

  constructor(
    options: { host: string; apiKey?: string },
    private readonly indexUid = "offers",
  ) {
    this.client = new Meilisearch({ host: options.host, apiKey: options.apiKey, defaultWaitOptions: { timeout: TASK_TIMEOUT_MS } });
  }

  private get offersIndex() {
    return this.client.index<OfferDocument>(this.indexUid);
  }

  /** Creates the index unless it exists, and applies the settings. */
  private async prepareIndex(uid: string) {
    await taskSucceeded(this.client.createIndex(uid, { primaryKey: "id" }), ["index_already_exists"]);
    await taskSucceeded(this.client.index(uid).updateSettings(MEILI_SETTINGS));
  }

  private async addDocuments(uid: string, documents: OfferDocument[]) {
    if (documents.length) await taskSucceeded(this.client.index<OfferDocument>(uid).addDocuments(documents, { primaryKey: "id" }));
  }

  private async dropIndex(uid: string) {
    await taskSucceeded(this.client.deleteIndex(uid), ["index_not_found"]);
  }

  async setup() {
    await this.prepareIndex(this.indexUid);
  }

  async index(documents: OfferDocument[]) {
    await this.addDocuments(this.indexUid, documents);
  }

  async remove(offerIds: string[]) {
    if (offerIds.length) await taskSucceeded(this.offersIndex.deleteDocuments(offerIds));
  }

  async clear() {
    await taskSucceeded(this.offersIndex.deleteAllDocuments());
  }

  /** Builds a second index (a crashed rebuild's one is dropped first); the swap exchanges the two, then drops the old. */
  async startRebuild(): Promise<OfferIndexRebuild> {
    const rebuildUid = `${this.indexUid}_rebuild`;
    await this.dropIndex(rebuildUid);
    await this.prepareIndex(rebuildUid);
    return {
      index: (documents) => this.addDocuments(rebuildUid, documents),
      swap: async () => {
        await taskSucceeded(this.client.swapIndexes([{ indexes: [this.indexUid, rebuildUid], rename: false }]));
        await this.dropIndex(rebuildUid);
      },
      abandon: () => this.dropIndex(rebuildUid),
    };
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
