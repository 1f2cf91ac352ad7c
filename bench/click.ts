/**
 * Click redirect benchmark: a bare node:http server answering the same 302 (same Location length,
 * same headers), then the app's `/c/<code>` served by the real app (startApp, production build) on a
 * fresh PostgreSQL database, then the same app on embedded PGlite, each under the same autocannon
 * load after a warm-up. Prints req/s, the ratio app / bare, latencies, and every click accepted
 * against the rows in `clicks` once the recorder has flushed.
 *   DATABASE_URL=postgres://… npx tsx bench/click.ts [--duration 12] [--warmup 3] [--connections 50]
 * Builds the production bundle (`npx remix vite:build`) first when build/ has none.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { selectRows } from "#db/jobs/executors";
import type { LoadPlan, LoadResult } from "./load-client";
import {
  BROWSER_USER_AGENT,
  count,
  ensureProductionBuild,
  LOAD_ARRANGEMENT,
  loopLine,
  machine,
  runLoad,
  seedPartnerships,
  startBenchApp,
  statusLine,
  verdict,
  withEventLoopDelay,
} from "./tracking-bench";
import { seededRandom } from "./random";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "12" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
  },
});
const DURATION = Number(values.duration);
const WARM_UP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);
/** 5 merchants × 2 offers × 5 publishers: 50 tracking links, so the cache is not one hot entry. */
const SEED = { merchants: 5, offersPerMerchant: 2, publishers: 5 };
const SUB1_VALUES = 200;

const random = seededRandom(7);

function clickPaths(codes: string[]) {
  const paths = codes.flatMap((code) => Array.from({ length: SUB1_VALUES }, (_, k) => `/c/${code}?sub1=campaign-${k}`));
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  return paths;
}

const plan = (url: string, paths: string[], duration: number): LoadPlan => ({
  url,
  connections: CONNECTIONS,
  duration,
  headers: { "user-agent": BROWSER_USER_AGENT, accept: "text/html" },
  paths,
  varyForwardedFor: true,
  trackOrders: false,
});

/** A warm-up run, then the measured one. */
async function measure(url: string, paths: string[]) {
  const warm = await runLoad(plan(url, paths, WARM_UP));
  const { result: run, loop } = await withEventLoopDelay(() => runLoad(plan(url, paths, DURATION)));
  return { warm, run, loop };
}

const rate = (r: LoadResult) => r.requests / r.seconds;
const ms = (n: number) => `${n.toFixed(2)} ms`;
const redirects = (r: LoadResult) => Object.entries(r.statuses).reduce((sum, [code, n]) => (Number(code) < 400 ? sum + n : sum), 0);

function latencyLine(r: LoadResult) {
  return `p50 ${ms(r.latency.p50)}, p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`;
}

type AppFigures = { label: string; rps: number; p99: number; lost: number };

/** The app on the engine with its links seeded and cached, and the Location of one redirect. */
async function prepareApp(engine: "postgres" | "pglite") {
  const bench = await startBenchApp(engine);
  try {
    const { app } = bench;
    const links = await seedPartnerships(app.database.db, SEED);
    await app.tracking.cache.loadAll();
    const codes = links.map((link) => link.code);
    if (codes.some((code) => !app.tracking.cache.linkByCode(code))) throw new Error("a seeded link is missing from the cache");
    const paths = clickPaths(codes);
    const probe = await fetch(`${bench.baseUrl}${paths[0]}`, {
      redirect: "manual",
      headers: { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": "81.2.69.160" },
    });
    const location = probe.headers.get("location");
    if (probe.status !== 302 || !location) throw new Error(`the app answered ${probe.status} to ${paths[0]}`);
    return { bench, engine, codes, paths, location };
  } catch (error) {
    await bench.close();
    throw error;
  }
}

/** Loads the prepared app, flushes the recorder, prints what was counted, and stops the app. */
async function loadApp({ bench, engine, codes, paths }: Awaited<ReturnType<typeof prepareApp>>, bareRps: number): Promise<AppFigures> {
  try {
    const { app } = bench;
    const label = engine === "postgres" ? "app /c/<code> on PostgreSQL" : "app /c/<code> on PGlite";
    console.log(`\n${label}: ${bench.database}`);
    console.log(
      `  ${codes.length} tracking links (${SEED.merchants} merchants × ${SEED.offersPerMerchant} offers × ${SEED.publishers} publishers), ` +
        `${count(paths.length)} distinct paths (sub1 varied)`,
    );
    const recorder = app.tracking.recorder;
    const { warm, run, loop } = await measure(bench.baseUrl, paths);
    const writtenDuringLoad = recorder.stats.written;
    const bufferedAtEnd = recorder.buffered;
    const flushStarted = performance.now();
    await recorder.flush();
    const flushMs = performance.now() - flushStarted;
    const [rows] = await selectRows<{ clicks: number; daily: number; uniques: number }>(
      app.database.db,
      sql`select (select count(*) from clicks)::int as clicks,
        (select coalesce(sum(clicks), 0) from click_daily)::int as daily,
        (select coalesce(sum(unique_clicks), 0) from click_daily)::int as uniques`,
    );
    const answered = redirects(warm) + redirects(run) + 1;
    const { accepted, dropped } = recorder.stats;
    const lost = accepted - rows!.clicks;
    const rps = rate(run);
    const ratio = rps / bareRps;

    console.log(`  ${count(rps)} req/s over ${run.seconds.toFixed(1)} s (${count(run.requests)} requests; ${statusLine(run.statuses)})`);
    if (run.errors || run.timeouts) console.log(`  errors ${run.errors}, timeouts ${run.timeouts}`);
    console.log(`  latency: ${latencyLine(run)}; ${loopLine(loop)}`);
    console.log(`  ratio app / bare: ${ratio.toFixed(2)} (target ≥ 0.5: ${verdict(ratio >= 0.5)}; aim 0.7: ${verdict(ratio >= 0.7)})`);
    console.log(`  app p99: ${ms(run.latency.p99)} (target < 10 ms: ${verdict(run.latency.p99 < 10)})`);
    console.log(
      `  clicks: ${count(answered)} redirects counted by autocannon (warm-up + run + 1 probe), ${count(accepted)} accepted by the recorder, ` +
        `${count(dropped)} dropped; ${count(rows!.clicks)} rows in clicks, ${count(rows!.daily)} counted in click_daily (${count(rows!.uniques)} unique)`,
    );
    if (accepted !== answered) {
      console.log(
        `  (${count(accepted - answered)} redirects were sent while autocannon stopped at its deadline: accepted, not counted by it)`,
      );
    }
    console.log(
      `  the recorder wrote ${count(writtenDuringLoad)} clicks while the load ran (warm-up + run, ${count(writtenDuringLoad / (warm.seconds + run.seconds))}/s); ` +
        `${count(bufferedAtEnd)} were still buffered when it stopped, written in ${(flushMs / 1000).toFixed(2)} s; ` +
        `lost: ${count(lost)} (target none: ${verdict(lost === 0 && dropped === 0)})`,
    );
    return { label, rps, p99: run.latency.p99, lost };
  } finally {
    await bench.close();
  }
}

ensureProductionBuild();
console.log("Click benchmark: GET /c/<code> → 302, the app's redirect against a bare node:http 302");
console.log(`machine: ${machine()}`);
console.log(
  `load: autocannon, ${CONNECTIONS} connections, ${WARM_UP} s warm-up then ${DURATION} s measured per target; ${LOAD_ARRANGEMENT}`,
);
console.log("client: a browser User-Agent, X-Forwarded-For varied per request (the app runs with TRUST_PROXY=true), sub1 varied");
console.log("targets: app req/s ≥ 0.5 × bare (aim 0.7), app p99 < 10 ms, no click lost");

const postgres = await prepareApp("postgres");
const bareLocation = `https://bare.example/${"x".repeat(Math.max(0, postgres.location.length - "https://bare.example/".length))}`;
const bareServer = createServer((_req, res) => {
  res.writeHead(302, { location: bareLocation, "cache-control": "no-store", "referrer-policy": "no-referrer-when-downgrade" });
  res.end();
});
await new Promise<void>((resolve) => bareServer.listen(0, "127.0.0.1", resolve));
const { run: bare, loop: bareLoop } = await measure(
  `http://127.0.0.1:${(bareServer.address() as { port: number }).port}`,
  clickPaths(postgres.codes),
);
await new Promise((resolve) => bareServer.close(resolve));
const bareRps = rate(bare);
console.log(`\nbare node:http 302 (Location of ${bareLocation.length} characters like the app's, same headers), same paths and headers`);
console.log(`  ${count(bareRps)} req/s over ${bare.seconds.toFixed(1)} s (${statusLine(bare.statuses)}); latency: ${latencyLine(bare)}`);
console.log(`  ${loopLine(bareLoop)}`);

const figures = [await loadApp(postgres, bareRps), await loadApp(await prepareApp("pglite"), bareRps)];
console.log("\nsummary");
console.log(`  ${"bare node:http".padEnd(30)} ${count(bareRps).padStart(8)} req/s               p99 ${ms(bare.latency.p99)}`);
for (const f of figures) {
  console.log(
    `  ${f.label.padEnd(30)} ${count(f.rps).padStart(8)} req/s  ratio ${(f.rps / bareRps).toFixed(2)}  p99 ${ms(f.p99)}  lost ${f.lost}`,
  );
}
