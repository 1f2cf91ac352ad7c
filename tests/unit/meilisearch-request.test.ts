import { describe, expect, it } from "vitest";
import { buildFilter, buildSearchRequests, buildSort, quoteFilterValue } from "#search/meilisearch";
import { emptyFilters, type SearchQuery } from "#search/types";

const query = (overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  text: "tents",
  filters: emptyFilters(),
  sort: "relevance",
  page: 2,
  perPage: 20,
  ...overrides,
});

describe("Meilisearch request building", () => {
  it("escapes quotes and backslashes so user text stays inside its string", () => {
    expect(quoteFilterValue('out"doors')).toBe('"out\\"doors"');
    expect(quoteFilterValue("a\\")).toBe('"a\\\\"');
    expect(quoteFilterValue('x" OR approvalMode = "public')).toBe('"x\\" OR approvalMode = \\"public"');
  });

  it("ors values within a facet and ands facets", () => {
    const us = '(countries = "US" OR (countries = "*" AND NOT countries = "!US"))';
    expect(buildFilter({ ...emptyFilters(), niche: ["outdoors", "travel"], country: ["US"] })).toEqual([
      'nicheSlugs IN ["outdoors", "travel"]',
      us,
    ]);
    expect(buildFilter({ ...emptyFilters(), niche: ["outdoors"], country: ["US"] }, "niche")).toEqual([us]);
    expect(buildFilter({ ...emptyFilters(), country: ['"; DROP'] })).toEqual([
      '(countries = "\\"; DROP" OR (countries = "*" AND NOT countries = "!\\"; DROP"))',
    ]);
    expect(buildFilter(emptyFilters())).toEqual([]);
  });

  it("maps sorts, falling back to newest when there is no text to rank", () => {
    expect(buildSort(query())).toBeUndefined();
    expect(buildSort(query({ text: " " }))).toEqual(["createdAt:desc"]);
    expect(buildSort(query({ sort: "epc" }))).toEqual(["epcMinor:desc", "createdAt:desc"]);
    expect(buildSort(query({ sort: "commission" }))).toEqual(["commissionBps:desc", "commissionFlatMinor:desc"]);
  });

  it("asks for unfiltered facets on the main query and one zero-hit query per filtered facet", () => {
    const [main, ...rest] = buildSearchRequests("offers", query({ filters: { ...emptyFilters(), payoutType: ["cps"] } }));
    expect(main).toMatchObject({
      indexUid: "offers",
      q: "tents",
      page: 2,
      hitsPerPage: 20,
      filter: ['payoutType IN ["cps"]'],
      facets: ["nicheSlugs", "countries", "approvalMode"],
    });
    expect(rest).toEqual([{ indexUid: "offers", q: "tents", filter: [], facets: ["payoutType"], hitsPerPage: 0, page: 1 }]);
  });
});
