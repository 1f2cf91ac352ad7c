import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversions } from "#db/schema";
import { signClickId } from "~/modules/tracking/click-id";
import { createServerDatabase } from "#tests/support/database";
import { freePort } from "#tests/support/ports";
import {
  buildTrackingWorld,
  conversionLedger,
  TEST_CLICK_SIGNING_KEYS,
  TEST_IP_HMAC_KEY,
  testClickKeys,
  type TrackingWorld,
} from "#tests/support/tracking";

/*
 * The real server as its own process (node --import tsx server/index.ts), killed with SIGKILL while
 * 20 clients send postbacks, then started again: every postback it answered 2xx must be there,
 * exactly once. Needs a PostgreSQL server, since the embedded database lives inside the process.
 */
const serverUrl = process.env.DATABASE_URL;
const root = fileURLToPath(new URL("../..", import.meta.url));
const WORKERS = 20;
const START_TIMEOUT_MS = 60_000;

if (!serverUrl) console.warn("postback-durability: skipped, DATABASE_URL is not set (the test needs a PostgreSQL server)");

describe.skipIf(!serverUrl)("postbacks after a SIGKILL", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let handle: DatabaseHandle;
  let w: TrackingWorld;
  let dataDir: string;
  let port: number;
  let child: ChildProcess | null = null;
  let output = "";

  beforeAll(async () => {
    database = await createServerDatabase(serverUrl!);
    handle = await openDatabase({ url: database.url, poolSize: 3, migrate: true });
    w = await buildTrackingWorld(handle.db);
    dataDir = mkdtempSync(join(tmpdir(), "switchboard-durability-"));
    port = await freePort();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) await stop(child, "SIGKILL");
    await handle?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const started = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "development",
        HOST: "127.0.0.1",
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: database.url,
        CLICK_SIGNING_KEYS: TEST_CLICK_SIGNING_KEYS,
        IP_HMAC_KEY: TEST_IP_HMAC_KEY,
        DATA_DIR: dataDir,
        RUN_WORKERS: "false",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`The server exited with ${started.exitCode}:\n${output}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return started;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`The server did not answer /healthz within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
  }

  /** 20 clients sending new orders until `until` says stop; the order ids answered 2xx. */
  async function load(prefix: string, until: (answered: number) => boolean) {
    const answered: string[] = [];
    let failed = 0;
    let stopped = false;
    const keys = testClickKeys();
    const worker = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const orderId = `${prefix}-${n}-${i}`;
        const clickId = signClickId(keys, { linkId: w.link.id, clickedAt: Math.floor(Date.now() / 1000), bot: false, country: null });
        const query = new URLSearchParams({ token: w.token, click_id: clickId, order_id: orderId, amount: "10.00", currency: "USD" });
        try {
          const response = await fetch(`http://127.0.0.1:${port}/postback?${query}`);
          await response.arrayBuffer();
          if (response.status >= 200 && response.status < 300) answered.push(orderId);
          else failed++;
        } catch {
          failed++;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (until(answered.length)) stopped = true;
      }
    };
    return {
      done: Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n))).then(() => ({ answered, failed })),
      stop: () => (stopped = true),
      count: () => answered.length,
    };
  }

  it("keeps every postback answered 2xx, exactly once", { timeout: 240_000 }, async () => {
    const first = await start();
    const before = await load("k", () => false);
    while (before.count() < 400) await new Promise((resolve) => setTimeout(resolve, 5));
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    // Clients keep sending for a moment into the dead port, as real ones would.
    await new Promise((resolve) => setTimeout(resolve, 200));
    before.stop();
    const killed = await before.done;
    expect(killed.answered.length).toBeGreaterThanOrEqual(400);
    expect(killed.failed).toBeGreaterThan(0);

    const second = await start();
    const after = await load("r", (n) => n >= 200);
    const restarted = await after.done;
    // What was answered before the kill, sent again: the first result, nothing new.
    const sample = killed.answered.filter((_, i) => i % 20 === 0);
    for (const orderId of sample) {
      const n = Number(orderId.split("-")[1]);
      const query = new URLSearchParams({ token: w.token, order_id: orderId, amount: "10.00", currency: "USD" });
      const [row] = await handle.db.select().from(conversions).where(eq(conversions.orderId, orderId));
      query.set("click_id", row!.clickId!);
      const response = await fetch(`http://127.0.0.1:${port}/postback?${query}`);
      expect(response.status, `${orderId} from worker ${n}`).toBe(200);
      expect(((await response.json()) as { replayed?: boolean }).replayed).toBe(true);
    }
    await stop(second, "SIGTERM");

    const answered = [...killed.answered, ...restarted.answered];
    const counts = await selectRows<{ order_id: string; n: number }>(
      handle.db,
      sql`select order_id, count(*)::int as n from conversions where merchant_id = ${w.merchant.organization.id} group by order_id`,
    );
    const byOrder = new Map(counts.map((c) => [c.order_id, c.n]));
    const missing = answered.filter((orderId) => byOrder.get(orderId) !== 1);
    expect(missing, `answered 2xx but not stored exactly once (server output:\n${output.slice(-2000)})`).toEqual([]);
    const { recorded, broken } = await conversionLedger(handle.db);
    expect(recorded).toBeGreaterThanOrEqual(answered.length);
    expect(broken).toEqual([]);
  });
});

function stop(process: ChildProcess, signal: NodeJS.Signals) {
  return new Promise<void>((resolve) => {
    if (process.exitCode !== null || process.signalCode !== null) return resolve();
    process.once("exit", () => resolve());
    process.kill(signal);
  });
}
