/** What the marketplace shows and filters on for one offer. Amounts in minor units, rates in bps. */
export type OfferDocument = {
  id: string;
  title: string;
  description: string;
  merchantId: string;
  merchantName: string;
  nicheSlugs: string[];
  nicheNames: string[];
  /** Where the offer may run: ISO codes, or "*" with "!XX" for excluded ones (see countries.ts). */
  countries: string[];
  payoutType: "cps" | "cpa" | "hybrid";
  headline: string;
  commissionBps: number;
  commissionFlatMinor: number;
  currency: string;
  approvalMode: "public" | "approval";
  /** 30-day figures and merchant quality signals; null until there is data ("new"). */
  epcMinor: number | null;
  conversionRateBps: number | null;
  merchantApprovalRateBps: number | null;
  merchantAvgValidationDays: number | null;
  merchantReversalRateBps: number | null;
  /** Unix seconds. */
  createdAt: number;
};

export const FACETS = ["niche", "payoutType", "country", "approvalMode"] as const;
export type Facet = (typeof FACETS)[number];
export const SORTS = ["relevance", "epc", "commission", "newest"] as const;
export type Sort = (typeof SORTS)[number];

export type SearchQuery = {
  text: string;
  filters: Record<Facet, string[]>;
  sort: Sort;
  page: number;
  perPage: number;
};

export type SearchResult = {
  hits: OfferDocument[];
  total: number;
  /** The total is an estimate (shown as "about"): counting every match exactly would be slow. */
  totalIsEstimate: boolean;
  /** Counts per value; each facet's counts ignore that facet's own filter (disjunctive facets). */
  facets: Record<Facet, Record<string, number>>;
  /** The facets whose counts are estimates. */
  estimatedFacets: Facet[];
};

export interface OfferSearch {
  readonly engine: "postgres" | "meilisearch";
  /** Applies index settings; safe to call at every start. */
  setup(): Promise<void>;
  index(documents: OfferDocument[]): Promise<void>;
  remove(offerIds: string[]): Promise<void>;
  /** Drops every document of the live index. */
  clear(): Promise<void>;
  /** Starts a full rebuild beside the live index, which keeps answering searches until `swap`. */
  startRebuild(): Promise<OfferIndexRebuild>;
  search(query: SearchQuery): Promise<SearchResult>;
  health(): Promise<{ ok: boolean; detail: string }>;
}

/** An index being built beside the live one (a shadow table set, or a second Meilisearch index). */
export interface OfferIndexRebuild {
  index(documents: OfferDocument[]): Promise<void>;
  /** Makes the built index live and drops the old one. */
  swap(): Promise<void>;
  /** Drops the index being built; the live one is untouched. */
  abandon(): Promise<void>;
}

export function emptyFilters(): Record<Facet, string[]> {
  return { niche: [], payoutType: [], country: [], approvalMode: [] };
}
