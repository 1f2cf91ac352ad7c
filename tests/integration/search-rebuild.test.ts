import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offerIndexing } from "#db/jobs/queues";
import { offers } from "#db/schema";
import { MeilisearchOfferSearch } from "#search/meilisearch";
import { queueOfferIndexing } from "#search/outbox";
import { PostgresOfferSearch } from "#search/postgres";
import { emptyFilters, type OfferSearch, type SearchQuery } from "#search/types";
import { indexOffers, reindexAllOffers } from "#search/worker";
import { createTestDatabase } from "#tests/support/database";
import { startFakeMeilisearch } from "#tests/support/fake-meilisearch";
import { createOrgWithOwner } from "#tests/support/factories";
import { clearQueue, runDueJobs } from "#tests/support/jobs";
import { createActiveOffer } from "#tests/support/offers";

let handle: DatabaseHandle;
let engine: PostgresOfferSearch;
beforeAll(async () => {
  handle = await createTestDatabase();
  engine = new PostgresOfferSearch(handle.db);
});
afterAll(() => handle.close());
beforeEach(async () => {
  await clearQueue(handle, offerIndexing);
  await engine.clear();
  await handle.db.delete(offers);
});

const query = (text = ""): SearchQuery => ({ text, filters: emptyFilters(), sort: "newest", page: 1, perPage: 50 });
const titles = async (text: string) => (await engine.search(query(text))).hits.map((h) => h.title).sort();
const runIndexingJobs = (search: OfferSearch = engine) => runDueJobs(handle, offerIndexing, indexOffers(handle.db, search));
const retitle = (id: string, title: string) => handle.db.update(offers).set({ title }).where(eq(offers.id, id));

/** Three indexed offers, then new titles written behind the index's back: only a reindex brings them in. */
async function staleIndex() {
  const { tenant } = await createOrgWithOwner(handle.db);
  const created = [];
  for (const kind of ["tents", "kayaks", "boots"]) created.push(await createActiveOffer(handle.db, tenant, { title: `Alpine ${kind}` }));
  await runIndexingJobs();
  for (const offer of created) await retitle(offer.id, offer.title.replace("Alpine", "Glacier"));
  return created.map((o) => o.id).sort();
}

/** Index names, reloptions and column storage of the engine's tables: a swap must keep what the migrations made. */
const searchTablesShape = async () =>
  selectRows<{ relation: string; options: string[] | null; storage: string }>(
    handle.db,
    sql`select c.relname as relation, c.reloptions as options,
          (select string_agg(a.attname::text || ':' || a.attstorage::text, ',' order by a.attnum) from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and c.relkind = 'r') as storage
        from pg_class c
        where c.relnamespace = current_schema()::regnamespace
          and (c.relname in ('offer_search_documents', 'offer_search_payloads', 'search_facet_totals', 'search_words')
            or c.oid in (select indexrelid from pg_index where indrelid in (select oid from pg_class where relname in ('offer_search_documents', 'offer_search_payloads', 'search_facet_totals', 'search_words'))))
        order by 1`,
  );
const rebuildSchemas = async () =>
  selectRows<{ name: string }>(
    handle.db,
    sql`select nspname as name from pg_namespace where nspname like '%rebuild%' or nspname like '%retired%'`,
  );

describe("reindex on PostgreSQL", () => {
  it("keeps answering with the old documents while it builds, then with the new ones and consistent facet totals", async () => {
    const ids = await staleIndex();
    const shapeBefore = await searchTablesShape();
    expect(shapeBefore.find((r) => r.relation === "offer_search_documents")?.options).toEqual(["toast_tuple_target=128"]);
    expect(shapeBefore.map((r) => r.relation)).toContain("search_words_trgm_idx");
    const during: string[][] = [];
    const { done, requeued } = await reindexAllOffers(
      handle.db,
      engine,
      async () => {
        during.push(await titles("alpine"), await titles("glacier"));
      },
      1,
    );
    expect(done).toBe(3);
    expect(requeued).toBe(0);
    for (let batch = 0; batch < 3; batch++) {
      expect(during[batch * 2]).toEqual(["Alpine boots", "Alpine kayaks", "Alpine tents"]);
      expect(during[batch * 2 + 1]).toEqual([]);
    }
    expect(await titles("alpine")).toEqual([]);
    expect(await titles("glacier")).toEqual(["Glacier boots", "Glacier kayaks", "Glacier tents"]);
    const browse = await engine.search(query());
    expect(browse.hits.map((h) => h.id).sort()).toEqual(ids);
    expect(browse.total).toBe(3);
    expect(browse.facets.niche).toEqual({ outdoors: 3 });
    expect(browse.facets.approvalMode).toEqual({ approval: 3 });
    const totals = await selectRows<{ facet: string; value: string; count: number }>(
      handle.db,
      sql`select facet, value, count from search_facet_totals where facet in ('niche', 'payoutType') order by 1, 2`,
    );
    expect(totals).toEqual([
      { facet: "niche", value: "outdoors", count: 3 },
      { facet: "payoutType", value: "cps", count: 3 },
    ]);
    const words = await selectRows<{ word: string }>(handle.db, sql`select word from search_words where word in ('alpine', 'glacier')`);
    expect(words.map((w) => w.word)).toEqual(["glacier"]);
    expect(await searchTablesShape()).toEqual(shapeBefore);
    expect(await rebuildSchemas()).toEqual([]);
  });

  it("answers every search that runs alongside a reindex, the swap included, with the full index", async () => {
    await staleIndex();
    let reindexing = true;
    const totals: number[] = [];
    const searching = (async () => {
      while (reindexing) totals.push((await engine.search(query())).total, (await engine.search(query("kayaks"))).total);
    })();
    await reindexAllOffers(handle.db, engine, () => {}, 1);
    reindexing = false;
    await searching;
    expect(totals.length).toBeGreaterThan(2);
    expect(totals.filter((n, i) => n !== (i % 2 === 0 ? 3 : 1))).toEqual([]);
  });

  it("does not lose an indexing job that runs during the rebuild: its offer is re-queued after the swap", async () => {
    const ids = await staleIndex();
    let changed = false;
    const { requeued } = await reindexAllOffers(
      handle.db,
      engine,
      async () => {
        if (changed) return;
        changed = true;
        // The first batch (the lowest id) is already built from "Glacier tents"-style titles; this change comes after it.
        await retitle(ids[0]!, "Summit stoves");
        await queueOfferIndexing(handle.db, [ids[0]!]);
        expect(await runIndexingJobs()).toBe(1);
        expect(await titles("summit")).toEqual(["Summit stoves"]);
      },
      1,
    );
    expect(requeued).toBe(1);
    expect(await runIndexingJobs()).toBe(1);
    expect(await titles("summit")).toEqual(["Summit stoves"]);
    expect((await engine.search(query())).total).toBe(3);
    expect((await titles("glacier")).length).toBe(2);
  });

  it("leaves the live index in place when the rebuild fails, and closes the rebuild log", async () => {
    await staleIndex();
    const failing: OfferSearch = Object.assign(Object.create(engine) as OfferSearch, {
      startRebuild: async () => {
        const rebuild = await engine.startRebuild();
        return { ...rebuild, swap: () => Promise.reject(new Error("disk full")) };
      },
    });
    await expect(reindexAllOffers(handle.db, failing, () => {})).rejects.toThrow("disk full");
    expect(await titles("alpine")).toEqual(["Alpine boots", "Alpine kayaks", "Alpine tents"]);
    expect(await rebuildSchemas()).toEqual([]);
  });
});

describe("Meilisearch engine in the indexing job and the reindex (fake Meilisearch on 127.0.0.1)", () => {
  let fake: Awaited<ReturnType<typeof startFakeMeilisearch>>;
  beforeAll(async () => {
    fake = await startFakeMeilisearch();
  });
  afterAll(() => fake.close());

  it("fails the pg-boss job when Meilisearch fails the document task, so it is retried", async () => {
    const meili = new MeilisearchOfferSearch({ host: fake.url }, "jobs");
    await meili.setup();
    await clearQueue(handle, offerIndexing);
    const { tenant } = await createOrgWithOwner(handle.db);
    const offer = await createActiveOffer(handle.db, tenant, { title: "Alpine tents" });
    fake.failTasks((r) => (r.path.startsWith("/indexes/jobs/documents") ? { code: "invalid_document_id", message: "Bad id." } : null));
    expect(await runIndexingJobs(meili)).toBeGreaterThan(0);
    const jobs = await selectRows<{ state: string; message: string }>(
      handle.db,
      sql`select state::text, output->>'message' as message from pgboss.job where name = ${offerIndexing.name} and data->>'offerId' = ${offer.id}`,
    );
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job).toEqual({ state: "retry", message: expect.stringContaining("invalid_document_id: Bad id.") });
    fake.failTasks(() => null);
  });

  it("reindexes into a second index and swaps it in", async () => {
    const meili = new MeilisearchOfferSearch({ host: fake.url }, "swapped");
    const ids = await staleIndex();
    fake.requests.length = 0;
    const { done } = await reindexAllOffers(handle.db, meili, () => {});
    expect(done).toBe(3);
    const documentWrites = fake.requests.filter((r) => r.path.includes("/documents"));
    expect(documentWrites.map((r) => r.path)).toEqual(["/indexes/swapped_rebuild/documents?primaryKey=id"]);
    expect((documentWrites[0]!.body as { id: string }[]).map((d) => d.id).sort()).toEqual(ids);
    expect(fake.requests.filter((r) => r.path === "/swap-indexes").map((r) => r.body)).toEqual([
      [{ indexes: ["swapped", "swapped_rebuild"], rename: false }],
    ]);
    expect([...fake.indexes].filter((i) => i.startsWith("swapped"))).toEqual(["swapped"]);
    const rows = await handle.db.select({ id: offers.id }).from(offers).where(inArray(offers.id, ids));
    expect(rows).toHaveLength(3);
  });

  it("still re-queues the offers changed during the rebuild when dropping the old index fails after the swap", async () => {
    const meili = new MeilisearchOfferSearch({ host: fake.url }, "halfway");
    const ids = await staleIndex();
    let swapped = false;
    fake.failTasks((r) => {
      if (r.path === "/swap-indexes") swapped = true;
      return swapped && r.method === "DELETE" ? { code: "internal", message: "Disk error." } : null;
    });
    const reindex = reindexAllOffers(
      handle.db,
      meili,
      async (done) => {
        if (done !== 1) return;
        await retitle(ids[0]!, "Summit stoves");
        await queueOfferIndexing(handle.db, [ids[0]!]);
        expect(await runIndexingJobs(meili)).toBe(1);
      },
      1,
    );
    await expect(reindex).rejects.toMatchObject({ code: "internal" });
    fake.failTasks(() => null);
    const queued = await selectRows<{ offerId: string }>(
      handle.db,
      sql`select data->>'offerId' as "offerId" from pgboss.job where name = ${offerIndexing.name} and state = 'created'`,
    );
    expect(queued.map((j) => j.offerId)).toEqual([ids[0]]);
    expect(await rebuildSchemas()).toEqual([]);
  });
});
