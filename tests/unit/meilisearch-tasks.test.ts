import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { COUNTRY_CODES } from "~/lib/countries";
import { countryTokens } from "#search/countries";
import { MeilisearchOfferSearch } from "#search/meilisearch";
import type { OfferDocument } from "#search/types";
import { startFakeMeilisearch } from "#tests/support/fake-meilisearch";

let fake: Awaited<ReturnType<typeof startFakeMeilisearch>>;
beforeAll(async () => {
  fake = await startFakeMeilisearch();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.indexes.clear();
  fake.failTasks(() => null);
});

const engine = () => new MeilisearchOfferSearch({ host: fake.url }, "offers");
/** The requests that write, without the task polling. */
const writes = () => fake.requests.map((r) => `${r.method} ${r.path}`);

const doc = (): OfferDocument => ({
  id: randomUUID(),
  title: "Ultralight tents",
  description: "",
  merchantId: randomUUID(),
  merchantName: "Northwind",
  nicheSlugs: ["outdoors"],
  nicheNames: ["Outdoors & Adventure"],
  countries: ["*", "!ZW"],
  payoutType: "cps",
  headline: "8%",
  commissionBps: 800,
  commissionFlatMinor: 0,
  currency: "USD",
  approvalMode: "public",
  epcMinor: null,
  conversionRateBps: null,
  merchantApprovalRateBps: null,
  merchantAvgValidationDays: null,
  merchantReversalRateBps: null,
  createdAt: 1_700_000_000,
});

describe("Meilisearch tasks that fail", () => {
  it("throw with the task's error code and message, so the indexing job fails and retries", async () => {
    const search = engine();
    await search.setup();
    fake.failTasks((r) =>
      r.path.startsWith("/indexes/offers/documents") ? { code: "invalid_document_fields", message: "Bad field." } : null,
    );
    const failure = { name: "MeilisearchTaskError", code: "invalid_document_fields" };
    await expect(search.index([doc()])).rejects.toMatchObject(failure);
    await expect(search.index([doc()])).rejects.toThrow(/documentAdditionOrUpdate task \d+ failed: invalid_document_fields: Bad field\./);
    await expect(search.remove([randomUUID()])).rejects.toMatchObject(failure);
    await expect(search.clear()).rejects.toMatchObject(failure);
  });

  it("fail setup when the settings are refused, but not when the index already exists", async () => {
    await engine().setup();
    await engine().setup();
    fake.failTasks((r) => (r.path.endsWith("/settings") ? { code: "invalid_settings_faceting", message: "Refused." } : null));
    await expect(engine().setup()).rejects.toMatchObject({ code: "invalid_settings_faceting" });
  });
});

describe("Meilisearch settings", () => {
  it("count every country token of the largest facet, so no late-alphabet country drops out", async () => {
    await engine().setup();
    const settings = fake.requests.find((r) => r.method === "PATCH")!.body as { faceting: { maxValuesPerFacet: number } };
    const countryVocabulary = new Set([...countryTokens("include", [...COUNTRY_CODES]), ...countryTokens("exclude", [...COUNTRY_CODES])]);
    expect(countryVocabulary.size).toBe(2 * COUNTRY_CODES.length + 1);
    expect(settings.faceting.maxValuesPerFacet).toBeGreaterThan(countryVocabulary.size);
  });
});

describe("Meilisearch rebuild", () => {
  it("builds a second index with the same settings, swaps it with the live one, then drops the old one", async () => {
    const search = engine();
    await search.setup();
    const liveSettings = fake.requests.find((r) => r.path === "/indexes/offers/settings")!.body;
    fake.requests.length = 0;
    const rebuild = await search.startRebuild();
    await rebuild.index([doc()]);
    expect(writes()).toEqual([
      "DELETE /indexes/offers_rebuild",
      "POST /indexes",
      "PATCH /indexes/offers_rebuild/settings",
      "POST /indexes/offers_rebuild/documents?primaryKey=id",
    ]);
    await rebuild.swap();
    expect(writes().slice(4)).toEqual(["POST /swap-indexes", "DELETE /indexes/offers_rebuild"]);
    expect(fake.requests[4]!.body).toEqual([{ indexes: ["offers", "offers_rebuild"], rename: false }]);
    expect(fake.requests[2]!.body).toEqual(liveSettings);
    expect([...fake.indexes]).toEqual(["offers"]);
  });

  it("drops a crashed rebuild's index first, and a failed swap throws and leaves the live index alone", async () => {
    const search = engine();
    await search.setup();
    await search.startRebuild();
    const rebuild = await search.startRebuild();
    fake.failTasks((r) => (r.path === "/swap-indexes" ? { code: "index_not_found", message: "Gone." } : null));
    await expect(rebuild.swap()).rejects.toMatchObject({ code: "index_not_found" });
    await rebuild.abandon();
    expect([...fake.indexes]).toEqual(["offers"]);
  });
});
