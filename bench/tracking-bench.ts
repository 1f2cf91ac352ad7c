/**
 * What bench/click.ts and bench/postback.ts share: the real app (startApp on a production build) on
 * a database made for the run, merchants, offers and publishers in active partnerships made through
 * the domain functions, the load generator in a child process, and the header lines.
 */
import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offers, partnerships, trackingLinks } from "#db/schema";
import { startApp } from "#server/app";
import { createLogger } from "#server/logger";
import { loadConfig } from "~/config.server";
import { applyToOffer } from "~/modules/applications/applications.server";
import { rotatePostbackToken } from "~/modules/tracking/integration.server";
import { createServerDatabase } from "#tests/support/database";
import { createOrgWithOwner, links as appLinks } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { freePort } from "#tests/support/ports";
import { formatCount } from "~/lib/counts";
import type { LoadPlan, LoadResult } from "./load-client";

const root = fileURLToPath(new URL("..", import.meta.url));

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export const LOAD_ARRANGEMENT = "autocannon runs in a child process (its own core), the server in this process; the same for every target";

/** The production build startApp serves; built here when build/ has none, as `npm run build` would. */
export function ensureProductionBuild() {
  if (existsSync(join(root, "build/server/index.js"))) return;
  console.log("No production build in build/: running `npx remix vite:build` first.");
  const built = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("`npx remix vite:build` failed");
}

export function machine() {
  const cores = cpus();
  const load = loadavg().map((n) => n.toFixed(2));
  return `${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, load average ${load.join(" ")} at start`;
}

async function describeDatabase(db: Database, engine: "postgres" | "pglite", poolSize: number) {
  const [row] = await selectRows<{ version: string }>(db, sql`select current_setting('server_version') as version`);
  return engine === "postgres"
    ? `PostgreSQL ${row!.version} server at DATABASE_URL (a fresh database, dropped after), pool of ${poolSize} connections`
    : `embedded PGlite (PostgreSQL ${row!.version}) in a temporary DATA_DIR, on the server's thread`;
}

/**
 * The app as `npm start` runs it (production build, TRUST_PROXY so X-Forwarded-For names the client,
 * DATABASE_POOL_SIZE from the environment when set), without background workers, on a fresh
 * database: a new database on the DATABASE_URL server, dropped afterwards, or PGlite in a temporary
 * DATA_DIR, removed afterwards.
 */
export async function startBenchApp(engine: "postgres" | "pglite") {
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-bench-"));
  const server = process.env.DATABASE_URL;
  if (engine === "postgres" && !server)
    throw new Error("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres");
  const database = engine === "postgres" ? await createServerDatabase(server!, "sb_bench_") : null;
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: database?.url,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
    DATA_DIR: dataDir,
    RUN_WORKERS: "false",
    TRUST_PROXY: "true",
    LOG_LEVEL: "warn",
  });
  const app = await startApp(config, createLogger(config.LOG_LEVEL));
  return {
    app,
    database: await describeDatabase(app.database.db, engine, config.DATABASE_POOL_SIZE),
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type BenchLink = { code: string; merchantId: string; token: string };

/**
 * Merchants (each with a postback token) with live public offers, and publishers in an active
 * partnership on every offer: offers × publishers tracking links, made by the partnership trigger.
 */
export async function seedPartnerships(
  db: Database,
  counts: { merchants: number; offersPerMerchant: number; publishers: number },
): Promise<BenchLink[]> {
  const tokens = new Map<string, string>();
  const offerIds: string[] = [];
  for (let m = 0; m < counts.merchants; m++) {
    const merchant = await createOrgWithOwner(db, "merchant");
    tokens.set(merchant.organization.id, (await rotatePostbackToken(db, merchant.tenant)).token);
    for (let o = 0; o < counts.offersPerMerchant; o++) {
      const overrides = { visibility: "public", title: `Bench offer ${m}-${o}`, landingUrl: `https://shop-${m}.example/deals/${o}` };
      offerIds.push((await createActiveOffer(db, merchant.tenant, overrides)).id);
    }
  }
  for (let p = 0; p < counts.publishers; p++) {
    const publisher = await createOrgWithOwner(db, "publisher");
    for (const offerId of offerIds) {
      await applyToOffer(db, publisher.tenant, { offerId, message: "", answers: [], acceptTerms: true }, appLinks);
    }
  }
  const rows = await db
    .select({ code: trackingLinks.code, merchantId: offers.merchantId, status: partnerships.status })
    .from(trackingLinks)
    .innerJoin(partnerships, eq(partnerships.id, trackingLinks.partnershipId))
    .innerJoin(offers, eq(offers.id, partnerships.offerId));
  const active = rows.filter((row) => row.status === "active");
  if (active.length !== offerIds.length * counts.publishers) {
    throw new Error(`expected ${offerIds.length * counts.publishers} active partnerships, found ${active.length}`);
  }
  return active.map(({ status: _s, ...row }) => ({ ...row, token: tokens.get(row.merchantId)! }));
}

/**
 * The server's event-loop delay while `during` runs: a redirect that arrives while the loop is
 * blocked (by a batch being prepared, or by PGlite running a statement) waits at least that long.
 */
export async function withEventLoopDelay<T>(during: () => Promise<T>) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    const result = await during();
    return { result, loop: { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 } };
  } finally {
    histogram.disable();
  }
}

export const loopLine = (loop: { p99: number; max: number }) =>
  `event-loop delay of the server process: p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`;

/** Runs one load plan in a fresh child process and returns what it measured. */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./load-client.ts", import.meta.url)), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: LoadResult | undefined;
    child.once("message", (message) => (result = message as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => (result ? resolve(result) : reject(new Error(`load client exited with ${code}`))));
    child.send(plan);
  });
}

export const verdict = (met: boolean) => (met ? "met" : "MISSED");

export const count = (n: number) => formatCount(Math.round(n));

export function statusLine(statuses: Record<string, number>) {
  return Object.entries(statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, n]) => `${code}: ${count(n)}`)
    .join(", ");
}
