/**
 * Postback benchmark: the real app (startApp, production build) on a fresh PostgreSQL database,
 * 20 offers × 10 publishers in active partnerships, real clicks made through `/c/<code>` first, then
 * a fixed number of `GET /postback` (token authentication, click ids of all 200 partnerships) from 50
 * connections, one in ten repeating an earlier order with the same data. Prints conversions created
 * per second, requests per second, latencies, statuses, and checks that every order exists exactly once.
 *   DATABASE_URL=postgres://… npx tsx bench/postback.ts [--requests 20000] [--connections 50]
 * Builds the production bundle (`npx remix vite:build`) first when build/ has none.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { selectRows } from "#db/jobs/executors";
import type { LoadPlan } from "./load-client";
import {
  type BenchLink,
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
    requests: { type: "string", default: "20000" },
    connections: { type: "string", default: "50" },
    "clicks-per-link": { type: "string", default: "10" },
  },
});
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const CLICKS_PER_LINK = Number(values["clicks-per-link"]);
const WARM_UP_REQUESTS = 1000;
/** 4 merchants × 5 offers, 10 publishers on each: 200 partnerships, each with its own counters. */
const SEED = { merchants: 4, offersPerMerchant: 5, publishers: 10 };

const random = seededRandom(11);
const randomInt = (below: number) => Math.floor(random() * below);

type Click = { link: BenchLink; clickId: string };

/** Real clicks through the redirect, so each conversion finds its click row as in production. */
async function makeClicks(baseUrl: string, links: BenchLink[]): Promise<Click[]> {
  const wanted = links.flatMap((link) => Array.from({ length: CLICKS_PER_LINK }, () => link));
  const clicks: Click[] = [];
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const link = wanted[next++]!;
      const answer = await fetch(`${baseUrl}/c/${link.code}?sub1=bench`, {
        redirect: "manual",
        headers: { "user-agent": BROWSER_USER_AGENT, "x-forwarded-for": `81.2.${randomInt(256)}.${1 + randomInt(254)}` },
      });
      const clickId = new URL(answer.headers.get("location") ?? "https://invalid.example").searchParams.get("click_id");
      if (answer.status !== 302 || !clickId) throw new Error(`the redirect answered ${answer.status} without a click id`);
      clicks.push({ link, clickId });
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return clicks;
}

const minorToText = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

function postbackPath(click: Click, orderId: string, amountMinor: number) {
  const query = new URLSearchParams({
    token: click.link.token,
    click_id: click.clickId,
    order_id: orderId,
    amount: minorToText(amountMinor),
    currency: "USD",
  });
  return `/postback?${query}`;
}

/** Every tenth request repeats an earlier order (same click, amount and id); the others are new orders. */
function postbackPaths(clicks: Click[], total: number, prefix: string, duplicates: boolean) {
  const paths: string[] = [];
  const originals: string[] = [];
  for (let i = 0; i < total; i++) {
    if (duplicates && i % 10 === 9) {
      paths.push(originals[randomInt(originals.length)]!);
      continue;
    }
    const path = postbackPath(clicks[originals.length % clicks.length]!, `${prefix}-${originals.length}`, 1000 + randomInt(24_000));
    originals.push(path);
    paths.push(path);
  }
  return { paths, orders: originals.length, repeats: total - originals.length };
}

const plan = (url: string, paths: string[]): LoadPlan => ({
  url,
  connections: CONNECTIONS,
  duration: 0,
  amount: paths.length,
  headers: { "user-agent": "merchant-platform/1.0" },
  paths,
  varyForwardedFor: false,
  trackOrders: true,
});

ensureProductionBuild();
console.log("Postback benchmark: GET /postback with token authentication, each new order making one conversion");
console.log(`machine: ${machine()}`);
console.log(
  `load: autocannon, ${CONNECTIONS} connections, ${count(REQUESTS)} requests after ${count(WARM_UP_REQUESTS)} warm-up postbacks; ${LOAD_ARRANGEMENT}`,
);
console.log("targets: ≥ 1,000 conversions/s (aim 2,000/s); every order id exactly once");

const bench = await startBenchApp("postgres");
try {
  const { app } = bench;
  const links = await seedPartnerships(app.database.db, SEED);
  await app.tracking.cache.loadAll();
  const clicks = await makeClicks(bench.baseUrl, links);
  await app.tracking.recorder.flush();
  for (let i = clicks.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [clicks[i], clicks[j]] = [clicks[j]!, clicks[i]!];
  }
  console.log(`database: ${bench.database}`);
  console.log(
    `spread: ${SEED.merchants} merchants × ${SEED.offersPerMerchant} offers = ${SEED.merchants * SEED.offersPerMerchant} offers × ${SEED.publishers} publishers = ` +
      `${links.length} partnerships; ${count(clicks.length)} real clicks (${CLICKS_PER_LINK} per link), conversions spread over all of them`,
  );

  await runLoad(plan(bench.baseUrl, postbackPaths(clicks, WARM_UP_REQUESTS, "w", false).paths));
  const sent = postbackPaths(clicks, REQUESTS, "o", true);
  console.log(
    `sent: ${count(REQUESTS)} postbacks = ${count(sent.orders)} distinct orders + ${count(sent.repeats)} repeats of earlier orders with the same data (${((sent.repeats / REQUESTS) * 100).toFixed(0)}%)`,
  );
  const { result: run, loop } = await withEventLoopDelay(() => runLoad(plan(bench.baseUrl, sent.paths)));
  await app.tracking.log.flush();

  const [found] = await selectRows<{ total: number; keys: number; orders: number; pending: number; with_click: number }>(
    app.database.db,
    sql`select count(*)::int as total, count(distinct (merchant_id, order_id, event))::int as keys,
      count(distinct order_id)::int as orders, (count(*) filter (where status = 'pending'))::int as pending,
      (count(*) filter (where click_found))::int as with_click
    from conversions where order_id like 'o-%'`,
  );
  const [spread] = await selectRows<{ partnerships: number; offers: number }>(
    app.database.db,
    sql`select count(distinct partnership_id)::int as partnerships, count(distinct offer_id)::int as offers
    from conversions where order_id like 'o-%'`,
  );
  const conversionsPerSecond = found!.total / run.seconds;
  const exactlyOnce = found!.total === found!.keys && found!.orders === sent.orders && run.ordersAnswered2xx.length === sent.orders;

  console.log(
    `\nrequests: ${count(run.requests / run.seconds)} req/s over ${run.seconds.toFixed(1)} s; errors ${run.errors}, timeouts ${run.timeouts}`,
  );
  console.log(
    `statuses: ${statusLine(run.statuses)} (201 created, 200 a repeat answered with the first conversion, 409 a repeat that met its first still being recorded)`,
  );
  console.log(
    `latency: p50 ${run.latency.p50.toFixed(1)} ms, p90 ${run.latency.p90.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms, max ${run.latency.max.toFixed(1)} ms; ${loopLine(loop)}`,
  );
  console.log(
    `conversions: ${count(found!.total)} created (${count(found!.pending)} pending, ${count(found!.with_click)} with their click's details), ` +
      `over ${spread!.partnerships} partnerships and ${spread!.offers} offers`,
  );
  console.log(
    `conversions/s: ${count(conversionsPerSecond)} (target ≥ 1,000: ${verdict(conversionsPerSecond >= 1000)}; aim 2,000: ${verdict(conversionsPerSecond >= 2000)})`,
  );
  console.log(
    `exactly once: ${count(found!.total)} rows = ${count(found!.keys)} distinct (merchant, order, event) = ${count(found!.orders)} distinct order ids; ` +
      `${count(sent.orders)} distinct orders sent, ${count(run.ordersAnswered2xx.length)} answered 2xx: ${verdict(exactlyOnce)}`,
  );
} finally {
  await bench.close();
}
