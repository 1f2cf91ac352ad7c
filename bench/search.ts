/**
 * Search benchmark: 100,000 realistic offers in a fresh database (the DATABASE_URL server, else
 * PGlite), a full reindex into the postgres engine, then a mix of marketplace queries with facets,
 * each run by the previous search (bench/baseline-search.ts, "before") and the current engine
 * ("after") in turn, so both meet the same data and the same machine load. Prints reindex time,
 * p50/p95 per query kind before and after, and the after p95 as a ratio to a primary-key lookup
 * measured in the same run.   npx tsx bench/search.ts [--offers 100000] [--queries 400]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { offerNiches, offers, organizations, type OfferTerm } from "#db/schema";
import { PostgresOfferSearch } from "#search/postgres";
import { emptyFilters, type SearchQuery } from "#search/types";
import { reindexAllOffers } from "#search/worker";
import { createServerDatabase } from "#tests/support/database";
import { BaselinePostgresSearch } from "./baseline-search";
import { seededRandom } from "./random";

const { values } = parseArgs({ options: { offers: { type: "string", default: "100000" }, queries: { type: "string", default: "400" } } });
const OFFERS = Number(values.offers);
const QUERIES = Number(values.queries);

const random = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const catalog: Record<string, { products: string[]; brands: string[] }> = {
  outdoors: {
    products: ["tents", "backpacks", "hiking boots", "sleeping bags", "trekking poles", "rain jackets", "camp stoves"],
    brands: ["Northwind", "Summit", "Trailhead", "Fjord"],
  },
  fashion: {
    products: ["sneakers", "denim", "linen shirts", "handbags", "sunglasses", "wool coats"],
    brands: ["Atelier", "Mode", "Thread", "Loom"],
  },
  beauty: { products: ["vitamin c serum", "sunscreen", "lipstick", "hair oil", "night cream"], brands: ["Lumen", "Glow", "Petal", "Aura"] },
  "software-saas": {
    products: ["crm", "invoicing software", "project management", "website builder", "email marketing"],
    brands: ["Stackly", "Cloudnine", "Bytewise", "Pipeline"],
  },
  "vpn-security": {
    products: ["vpn yearly plan", "password manager", "antivirus", "secure email"],
    brands: ["Shield", "Bytewise", "Vault", "Cipher"],
  },
  travel: {
    products: ["hotel bookings", "flight deals", "travel insurance", "car rentals", "city passes"],
    brands: ["Wander", "Jetset", "Nomad", "Voyage"],
  },
  finance: {
    products: ["credit cards", "savings accounts", "stock trading", "budgeting app"],
    brands: ["Ledger", "Mint", "Harbor", "Crest"],
  },
  "food-drink": {
    products: ["coffee subscription", "meal kits", "craft beer", "olive oil"],
    brands: ["Roast", "Harvest", "Brew", "Orchard"],
  },
  pets: { products: ["dog food", "cat litter", "pet insurance", "chew toys"], brands: ["Pawsome", "Whisker", "Fetch", "Tails"] },
  fitness: { products: ["yoga mats", "protein powder", "smart watches", "home gym"], brands: ["Pulse", "Core", "Stride", "Flex"] },
};
const NICHES = Object.keys(catalog);
const COUNTRIES = ["US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "IT", "SE"];
const adjectives = ["premium", "eco", "ultralight", "bestselling", "award-winning", "budget", "luxury", "new"];

function terms(): { terms: OfferTerm[]; currency: string } {
  const type = pick(["cps", "cps", "cpa", "hybrid"] as const);
  const bps = type === "cpa" ? null : 300 + Math.floor(random() * 12) * 100;
  const flatMinor = type === "cps" ? null : 500 + Math.floor(random() * 16) * 500;
  const tiers = random() < 0.3 && bps ? [{ minConversions: 50, flatMinor, bps: bps + 200 }] : [];
  return { terms: [{ event: "sale", type, flatMinor, bps, tiers }], currency: pick(["USD", "USD", "EUR", "GBP"]) };
}

async function freshDatabase(): Promise<DatabaseHandle> {
  const server = process.env.DATABASE_URL;
  if (!server) return openDatabase({ migrate: true });
  const database = await createServerDatabase(server, "sb_bench_");
  const handle = await openDatabase({ url: database.url, migrate: true, poolSize: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

async function load(handle: DatabaseHandle) {
  const db = handle.db;
  const merchantCount = Math.max(10, Math.floor(OFFERS / 50));
  const merchants: { id: string; niche: string; brand: string }[] = [];
  for (let i = 0; i < merchantCount; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, merchantCount - i) }, (_, j) => {
      const niche = pick(NICHES);
      const brand = `${pick(catalog[niche]!.brands)} ${["Co", "Labs", "Store", "Direct", "Outfitters"][(i + j) % 5]} ${i + j}`;
      return {
        id: randomUUID(),
        kind: "merchant" as const,
        name: brand,
        slug: `bench-merchant-${i + j}`,
        status: "active" as const,
        niche,
        brand,
      };
    });
    await db.insert(organizations).values(rows.map(({ niche: _n, brand: _b, ...r }) => r));
    merchants.push(...rows.map((r) => ({ id: r.id, niche: r.niche, brand: r.brand })));
  }
  const started = Date.now();
  for (let i = 0; i < OFFERS; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, OFFERS - i) }, () => {
      const merchant = pick(merchants);
      const niche = random() < 0.8 ? merchant.niche : pick(NICHES);
      const product = pick(catalog[niche]!.products);
      const { terms: t, currency } = terms();
      const mode = pick(["all", "all", "include", "exclude"] as const);
      return {
        id: randomUUID(),
        merchantId: merchant.id,
        title: `${pick(adjectives)} ${product} from ${merchant.brand.split(" ")[0]}`,
        description: `Shop ${product} at ${merchant.brand}. Free shipping over 50, 30-day returns, ${pick(adjectives)} quality trusted by thousands of customers.`,
        landingUrl: "https://merchant.example/landing",
        countryMode: mode,
        countries: mode === "all" ? [] : Array.from({ length: 3 }, () => pick(COUNTRIES)),
        currency,
        terms: t,
        cookieDays: 30,
        validationDays: 30,
        caps: { offerDaily: null, offerMonthly: null, partnerDaily: null, partnerMonthly: null },
        creatives: { banners: [], textLinks: [], guidelines: "" },
        visibility: pick(["public", "approval", "approval", "private"] as const),
        status: random() < 0.9 ? ("active" as const) : ("paused" as const),
        publishedAt: new Date(Date.now() - Math.floor(random() * 365) * 86_400_000),
        niche,
      };
    });
    await db.insert(offers).values(batch.map(({ niche: _n, ...o }) => o));
    await db.insert(offerNiches).values(batch.map((o) => ({ offerId: o.id, nicheSlug: o.niche })));
    process.stdout.write(`\rloading offers: ${i + batch.length}/${OFFERS}`);
  }
  process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const handle = await freshDatabase();
try {
  console.log(
    `Search benchmark on ${handle.engine === "postgres" ? "PostgreSQL (DATABASE_URL)" : "PGlite"} with ${OFFERS.toLocaleString()} offers`,
  );
  await load(handle);
  const engine = new PostgresOfferSearch(handle.db);
  const reindexStart = performance.now();
  const { done } = await reindexAllOffers(handle.db, engine, (d, total) =>
    process.stdout.write(`\rreindex [${"#".repeat(Math.round((d / total) * 30)).padEnd(30, ".")}] ${d}/${total}`),
  );
  const reindexSeconds = (performance.now() - reindexStart) / 1000;
  // What autovacuum soon does after a bulk load: flush the GIN pending lists, refresh statistics.
  await handle.db.execute(sql`vacuum analyze`);
  const health = await engine.health();
  console.log(
    `\nreindex: ${done.toLocaleString()} offers in ${reindexSeconds.toFixed(1)} s (${Math.round(done / reindexSeconds).toLocaleString()} offers/s); ${health.detail}`,
  );

  const base = (overrides: Partial<SearchQuery>): SearchQuery => ({
    text: "",
    filters: emptyFilters(),
    sort: "relevance",
    page: 1,
    perPage: 20,
    ...overrides,
  });
  const kinds: Record<string, () => SearchQuery> = {
    "browse (no text), newest": () => base({ sort: "newest" }),
    text: () => base({ text: pick(Object.values(catalog).flatMap((c) => c.products)) }),
    "text with a typo": () => base({ text: pick(["tnets", "backpaks", "serun", "insurence", "outdor", "sneakrs", "vpm"]) }),
    "text + niche + country facets": () =>
      base({
        text: pick(["premium", "eco", "free shipping"]),
        filters: { ...emptyFilters(), niche: [pick(NICHES)], country: [pick(COUNTRIES)] },
      }),
    "niche facet, sort by commission": () => base({ sort: "commission", filters: { ...emptyFilters(), niche: [pick(NICHES)] } }),
    "payout + approval facets, page 3": () =>
      base({ page: 3, filters: { ...emptyFilters(), payoutType: [pick(["cps", "cpa", "hybrid"])], approvalMode: ["public"] } }),
  };

  const [probe] = await handle.db.select({ id: offers.id }).from(offers).limit(1);
  const { offerSearchDocuments } = await import("#db/schema");
  const baselineSamples: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    await handle.db
      .select({ id: offerSearchDocuments.offerId })
      .from(offerSearchDocuments)
      .where(eq(offerSearchDocuments.offerId, probe!.id));
    baselineSamples.push(performance.now() - t0);
  }
  const baselineP50 = percentile(baselineSamples, 50);
  console.log(`baseline (primary-key lookup): p50 ${baselineP50.toFixed(2)} ms, p95 ${percentile(baselineSamples, 95).toFixed(2)} ms\n`);

  const before = new BaselinePostgresSearch(handle.db);
  const all = { before: [] as number[], after: [] as number[] };
  const time = async (search: () => Promise<unknown>) => {
    const t0 = performance.now();
    await search();
    return performance.now() - t0;
  };
  const figures = (samples: number[]) =>
    `${percentile(samples, 50).toFixed(1).padStart(7)} ${percentile(samples, 95).toFixed(1).padStart(8)}`;
  console.log("                                     before (ms)        after (ms)");
  console.log("query kind                          p50      p95      p50      p95   after p95 / baseline p50");
  for (const [name, make] of Object.entries(kinds)) {
    for (let i = 0; i < 10; i++) {
      await before.search(make());
      await engine.search(make());
    }
    const samples = { before: [] as number[], after: [] as number[] };
    for (let i = 0; i < Math.ceil(QUERIES / Object.keys(kinds).length); i++) {
      const q = make();
      samples.before.push(await time(() => before.search(q)));
      samples.after.push(await time(() => engine.search(q)));
    }
    all.before.push(...samples.before);
    all.after.push(...samples.after);
    console.log(
      `${name.padEnd(34)}${figures(samples.before)}${figures(samples.after)} ${(percentile(samples.after, 95) / baselineP50).toFixed(0).padStart(10)}×`,
    );
  }
  const p95 = percentile(all.after, 95);
  console.log(
    `\nall queries before: p50 ${percentile(all.before, 50).toFixed(1)} ms, p95 ${percentile(all.before, 95).toFixed(1)} ms, ${(percentile(all.before, 95) / baselineP50).toFixed(0)}× the primary-key lookup`,
  );
  console.log(
    `all queries after:  p50 ${percentile(all.after, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < 25 ms: ${p95 < 25 ? "met" : "NOT met"}), ${(p95 / baselineP50).toFixed(0)}× the primary-key lookup`,
  );
} finally {
  await handle.close();
}
