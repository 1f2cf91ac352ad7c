import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { COUNTRY_CODES } from "~/lib/countries";
import { MeilisearchOfferSearch } from "#search/meilisearch";
import { PostgresOfferSearch } from "#search/postgres";
import { emptyFilters, type OfferDocument, type OfferSearch, type SearchQuery } from "#search/types";
import { createTestDatabase } from "#tests/support/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

function doc(overrides: Partial<OfferDocument>): OfferDocument {
  return {
    id: randomUUID(),
    title: "Offer",
    description: "",
    merchantId: randomUUID(),
    merchantName: "Merchant",
    nicheSlugs: [],
    nicheNames: [],
    countries: ["US"],
    payoutType: "cps",
    headline: "8%",
    commissionBps: 800,
    commissionFlatMinor: 0,
    currency: "USD",
    approvalMode: "approval",
    epcMinor: null,
    conversionRateBps: null,
    merchantApprovalRateBps: null,
    merchantAvgValidationDays: null,
    merchantReversalRateBps: null,
    createdAt: 1_700_000_000,
    ...overrides,
  };
}

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  text: "",
  filters: emptyFilters(),
  sort: "relevance",
  page: 1,
  perPage: 20,
  ...overrides,
});

const tents = doc({
  title: "Ultralight tents",
  merchantName: "Northwind Outdoor",
  nicheSlugs: ["outdoors"],
  nicheNames: ["Outdoors & Adventure"],
  countries: ["US", "CA"],
  commissionBps: 1000,
  createdAt: 1_700_000_300,
  epcMinor: 120,
});
const boots = doc({
  title: "Waterproof hiking boots",
  merchantName: "Trailhead",
  nicheSlugs: ["outdoors", "fashion"],
  nicheNames: ["Outdoors & Adventure", "Fashion & Apparel"],
  countries: ["US"],
  commissionBps: 600,
  createdAt: 1_700_000_200,
  approvalMode: "public",
});
const vpn = doc({
  title: "Private VPN yearly plan",
  merchantName: "Bytewise",
  nicheSlugs: ["vpn-security"],
  nicheNames: ["VPN & Security"],
  countries: ["DE", "US"],
  payoutType: "cpa",
  commissionBps: 0,
  commissionFlatMinor: 4000,
  headline: "$40.00",
  createdAt: 1_700_000_100,
  epcMinor: 300,
});
const serum = doc({
  title: "Vitamin C serum",
  merchantName: "Lumen Skincare",
  nicheSlugs: ["beauty"],
  nicheNames: ["Beauty & Cosmetics"],
  countries: ["FR"],
  payoutType: "hybrid",
  commissionBps: 500,
  commissionFlatMinor: 200,
  createdAt: 1_700_000_400,
});

const meilisearchUrl = process.env.MEILISEARCH_URL;

describe("OfferSearch contract: postgres engine", () => contract(() => new PostgresOfferSearch(handle.db)));
describe.skipIf(!meilisearchUrl)(
  "OfferSearch contract: meilisearch engine (skipped unless MEILISEARCH_URL points at a running Meilisearch)",
  () =>
    contract(() => new MeilisearchOfferSearch({ host: meilisearchUrl!, apiKey: process.env.MEILISEARCH_KEY }, `contract_${Date.now()}`)),
);

function contract(make: () => OfferSearch) {
  let engine: OfferSearch;
  beforeAll(async () => {
    engine = make();
    await engine.setup();
    await engine.clear();
    await engine.index([tents, boots, vpn, serum]);
  });

  it("finds by words of the title, merchant and niche names", async () => {
    expect((await engine.search(query({ text: "tents" }))).hits.map((h) => h.id)).toEqual([tents.id]);
    expect((await engine.search(query({ text: "bytewise" }))).hits.map((h) => h.id)).toEqual([vpn.id]);
    const outdoors = await engine.search(query({ text: "adventure" }));
    expect(outdoors.hits.map((h) => h.id).sort()).toEqual([tents.id, boots.id].sort());
  });

  it("tolerates a typo", async () => {
    const result = await engine.search(query({ text: "outdor" }));
    expect(result.hits.map((h) => h.id).sort()).toEqual([tents.id, boots.id].sort());
    expect((await engine.search(query({ text: "skincre" }))).hits.map((h) => h.id)).toEqual([serum.id]);
  });

  it("filters by facets (values or-ed, facets and-ed) and counts each facet without its own filter", async () => {
    const filters = { ...emptyFilters(), niche: ["outdoors"], country: ["CA", "DE"] };
    const result = await engine.search(query({ filters }));
    expect(result.hits.map((h) => h.id)).toEqual([tents.id]);
    expect(result.total).toBe(1);
    // Niche counts ignore the niche filter but keep the country filter (CA or DE): tents and vpn.
    expect(result.facets.niche).toEqual({ outdoors: 1, "vpn-security": 1 });
    // Country counts ignore the country filter but keep the niche filter: tents and boots.
    expect(result.facets.country).toEqual({ US: 2, CA: 1 });
    expect(result.facets.payoutType).toEqual({ cps: 1 });
    expect(result.facets.approvalMode).toEqual({ approval: 1 });
  });

  it("ranks the title before the merchant and niche names before the description, and a whole word before a longer one", async () => {
    const inDescription = doc({ title: "Rail tickets", description: "A pass for every city", createdAt: 1_600_000_004 });
    const inMerchant = doc({ title: "Rail tickets", merchantName: "Pass Depot", createdAt: 1_600_000_003 });
    const longer = doc({ title: "Passport covers", createdAt: 1_600_000_002 });
    const whole = doc({ title: "City pass bundle", createdAt: 1_600_000_001 });
    await engine.index([inDescription, inMerchant, longer, whole]);
    const ranked = await engine.search(query({ text: "pass" }));
    expect(ranked.hits.map((h) => h.id)).toEqual([whole.id, longer.id, inMerchant.id, inDescription.id]);
    await engine.remove([inDescription.id, inMerchant.id, longer.id, whole.id]);
  });

  it("counts worldwide offers in every country and leaves out excluded ones", async () => {
    const worldwide = doc({ title: "Worldwide gift cards", countries: ["*"], createdAt: 1_600_000_000 });
    const notFrance = doc({ title: "Gift cards except France", countries: ["*", "!FR"], createdAt: 1_600_000_001 });
    await engine.index([worldwide, notFrance]);
    const france = await engine.search(query({ text: "gift", filters: { ...emptyFilters(), country: ["FR"] } }));
    expect(france.hits.map((h) => h.id)).toEqual([worldwide.id]);
    const any = await engine.search(query({ text: "gift" }));
    expect(any.facets.country).toMatchObject({ FR: 1, US: 2, JP: 2 });
    await engine.remove([worldwide.id, notFrance.id]);
  });

  it("counts every country, even with all country tokens in the index (late-alphabet ones too)", async () => {
    const everywhere = doc({ title: "Listed everywhere", countries: [...COUNTRY_CODES] });
    const nowhere = doc({ title: "Excluded everywhere", countries: ["*", ...COUNTRY_CODES.map((c) => `!${c}`)] });
    await engine.index([everywhere, nowhere]);
    const counts = (await engine.search(query({ text: "everywhere" }))).facets.country;
    expect(Object.keys(counts)).toHaveLength(COUNTRY_CODES.length);
    expect(counts).toMatchObject({ AD: 1, US: 1, ZW: 1 });
    await engine.remove([everywhere.id, nowhere.id]);
  });

  it("with one filter, counts that facet over everything and the others over the filtered offers", async () => {
    const result = await engine.search(query({ filters: { ...emptyFilters(), payoutType: ["cps"] } }));
    expect(result.total).toBe(2);
    expect(result.facets.payoutType).toEqual({ cps: 2, cpa: 1, hybrid: 1 });
    expect(result.facets.niche).toEqual({ outdoors: 2, fashion: 1 });
    expect(result.facets.approvalMode).toEqual({ approval: 1, public: 1 });
  });

  it("sorts by commission, EPC and newest, and pages", async () => {
    expect((await engine.search(query({ sort: "commission" }))).hits.map((h) => h.id)).toEqual([tents.id, boots.id, serum.id, vpn.id]);
    expect((await engine.search(query({ sort: "epc" }))).hits.slice(0, 2).map((h) => h.id)).toEqual([vpn.id, tents.id]);
    expect((await engine.search(query({ sort: "newest" }))).hits.map((h) => h.id)).toEqual([serum.id, tents.id, boots.id, vpn.id]);
    const page2 = await engine.search(query({ sort: "newest", perPage: 3, page: 2 }));
    expect(page2.hits.map((h) => h.id)).toEqual([vpn.id]);
    expect(page2.total).toBe(4);
  });

  it("treats filter values as data, not syntax", async () => {
    const result = await engine.search(query({ filters: { ...emptyFilters(), niche: ['outdoors" OR nicheSlugs = "beauty', "x\\"] } }));
    expect(result.hits).toHaveLength(0);
  });

  it("re-indexes a changed document, removes documents and reports health", async () => {
    await engine.index([{ ...boots, title: "Waterproof trail runners" }]);
    expect((await engine.search(query({ text: "runners" }))).hits.map((h) => h.id)).toEqual([boots.id]);
    const unfiltered = await engine.search(query());
    expect(unfiltered.facets.niche).toEqual({ outdoors: 2, fashion: 1, "vpn-security": 1, beauty: 1 });
    await engine.remove([boots.id]);
    expect((await engine.search(query({ text: "runners" }))).hits).toHaveLength(0);
    const after = await engine.search(query());
    expect(after.total).toBe(3);
    expect(after.facets.niche).toEqual({ outdoors: 1, "vpn-security": 1, beauty: 1 });
    expect(after.facets.payoutType).toEqual({ cps: 1, cpa: 1, hybrid: 1 });
    expect(after.facets.approvalMode).toEqual({ approval: 3 });
    expect((await engine.health()).ok).toBe(true);
  });

  it("rebuilds beside the live index, which answers until the swap", async () => {
    const rebuild = await engine.startRebuild();
    await rebuild.index([tents]);
    expect((await engine.search(query())).total).toBe(3);
    await rebuild.swap();
    const after = await engine.search(query());
    expect(after.hits.map((h) => h.id)).toEqual([tents.id]);
    expect(after.facets.niche).toEqual({ outdoors: 1 });
    expect(after.facets.country).toEqual({ US: 1, CA: 1 });
  });
}

describe("postgres engine: exact counts up to a limit, estimates above it", () => {
  const gifts = Array.from({ length: 6 }, (_, i) =>
    doc({
      title: `Gift card ${i}`,
      nicheSlugs: [i < 4 ? "travel" : "pets"],
      payoutType: i === 0 ? "cpa" : "cps",
      createdAt: 1_700_000_000 + i,
    }),
  );
  beforeAll(async () => {
    const engine = new PostgresOfferSearch(handle.db);
    await engine.clear();
    await engine.index(gifts);
  });
  const travelCps = query({ text: "gift", filters: { ...emptyFilters(), niche: ["travel"], payoutType: ["cps"] } });

  it("counts exactly while the rows are within the limit", async () => {
    const result = await new PostgresOfferSearch(handle.db, { exactCountLimit: 10 }).search(travelCps);
    expect(result).toMatchObject({ total: 3, totalIsEstimate: false, estimatedFacets: [] });
    expect(result.facets.niche).toEqual({ travel: 3, pets: 2 });
    expect(result.facets.payoutType).toEqual({ cps: 3, cpa: 1 });
  });

  it("counts the same on a sample that holds the whole index", async () => {
    const engine = new PostgresOfferSearch(handle.db, { exactCountLimit: 1, sampleSize: 100 });
    for (let i = 0; i < 2; i++) {
      const result = await engine.search(travelCps);
      expect(result).toMatchObject({ total: 3, totalIsEstimate: false, estimatedFacets: [] });
      expect(result.facets.niche).toEqual({ travel: 3, pets: 2 });
      expect(result.facets.payoutType).toEqual({ cps: 3, cpa: 1 });
      expect(result.hits.map((h) => h.id)).toEqual([gifts[3]!.id, gifts[2]!.id, gifts[1]!.id]);
    }
  });

  it("flags the total and the counts as estimates above the limit, and stays exact for a narrow search", async () => {
    const engine = new PostgresOfferSearch(handle.db, { exactCountLimit: 2, sampleSize: 3 });
    // The first search learns the index size (6): from then on the sample is half of it, counts doubled.
    await engine.search(query());
    const broad = await engine.search(query({ text: "gift" }));
    expect(broad.totalIsEstimate).toBe(true);
    expect(broad.estimatedFacets.sort()).toEqual(["approvalMode", "country", "niche", "payoutType"]);
    expect(broad.total % 2).toBe(0);
    expect(broad.hits).toHaveLength(6);
    const narrow = await engine.search(query({ text: "gift", filters: { ...emptyFilters(), payoutType: ["cpa"] } }));
    expect(narrow).toMatchObject({ total: 1, totalIsEstimate: false });
  });
});
