import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type { DatabaseHandle } from "#db/client";
import { createOfferSearch } from "#search/engine";
import { createAppListener } from "#server/app";
import { loadConfig } from "~/config.server";
import { hashToken } from "~/modules/auth/tokens.server";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import type { ConversionAnswer } from "~/modules/tracking/postbacks.server";
import { sendRaw, type RawAnswer } from "./raw-http";
import { buildTrackingWorld, startTestTracking, type TrackingWorld } from "./tracking";

/** A browser's user agent: node's own ("node") counts as a bot. */
const BROWSER_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

/**
 * The server's own request handling (server/app.ts) on a free port, with the tracking engine and a
 * Remix stand-in: the click and postback paths answer before Remix, so nothing else is needed. One
 * proxy hop is trusted, so a test names the client address in X-Forwarded-For.
 */
async function serveTracking(database: DatabaseHandle, tracking: StartedTrackingEngine) {
  const config = loadConfig({ APP_URL: "http://switchboard.test", TRUST_PROXY: "1" });
  const listener = createAppListener({
    database,
    config,
    search: createOfferSearch(database.db, config),
    remix: () => Promise.resolve(new Response("Not a tracking path", { status: 404 })),
    logger: pino({ level: "silent" }),
    tracking,
  });
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    base,
    /** A click as a browser sends it, and nothing more: `userAgent: null` sends none. */
    async click(
      path: string,
      options: { ip?: string; userAgent?: string | null; referrer?: string; method?: "GET" | "HEAD" } = {},
    ): Promise<RawAnswer & { location: string | null }> {
      const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? "198.51.100.20" };
      const userAgent = options.userAgent === undefined ? BROWSER_UA : options.userAgent;
      if (userAgent !== null) headers["user-agent"] = userAgent;
      if (options.referrer) headers.referer = options.referrer;
      const answer = await sendRaw(port, { method: options.method ?? "GET", path, headers });
      return { ...answer, location: answer.headers.location ?? null };
    },
    /** GET /postback with these query parameters. */
    async get(parameters: Record<string, string>, headers: Record<string, string> = {}) {
      return answer(await fetch(`${base}/postback?${new URLSearchParams(parameters)}`, { headers }));
    },
    /** POST /postback with a raw body; form-encoded unless the headers say otherwise. */
    async post(body: string, headers: Record<string, string> = {}, query = "") {
      return answer(
        await fetch(`${base}/postback${query}`, {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        }),
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type TrackingServer = Awaited<ReturnType<typeof serveTracking>>;

/**
 * A tracking engine on the test's database with the server in front of it, as one app instance;
 * world() builds a tracking world and waits until this engine's cache holds it. close() stops both.
 */
export async function startTrackingServer(handle: DatabaseHandle) {
  const tracking = await startTestTracking(handle);
  let app: TrackingServer;
  try {
    app = await serveTracking(handle, tracking);
  } catch (error) {
    await tracking.close();
    throw error;
  }
  return {
    tracking,
    app,
    async world(offerOverrides: Record<string, unknown> = {}) {
      const built = await buildTrackingWorld(handle.db, offerOverrides);
      await worldCached(tracking, built);
      return built;
    },
    async close() {
      await app.close();
      await tracking.close();
    },
  };
}

export type StartedTrackingServer = Awaited<ReturnType<typeof startTrackingServer>>;

/** What /postback answers: a conversion (replayed when it was already recorded) or an error. */
export type PostbackReply = {
  status: number;
  body: { conversion?: ConversionAnswer; replayed?: boolean; error?: { code: string; message: string } };
};

async function answer(response: Response): Promise<PostbackReply> {
  const text = await response.text();
  let body: PostbackReply["body"];
  try {
    body = JSON.parse(text) as PostbackReply["body"];
  } catch {
    throw new Error(`/postback answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body };
}

/**
 * Waits until the engine's cache shows what the test changed. On PostgreSQL the change arrives by
 * NOTIFY on another connection, possibly after the writing transaction's commit returned, so
 * `settled()` alone can run before it is even known.
 */
export async function untilCached(tracking: StartedTrackingEngine, shown: () => boolean, what = "the change") {
  const deadline = Date.now() + 5000;
  for (;;) {
    await tracking.settled();
    if (shown()) return;
    if (Date.now() > deadline) throw new Error(`The tracking cache did not show ${what} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the engine's cache holds the world's live link, offer, organizations and credentials. */
export function worldCached(tracking: StartedTrackingEngine, world: TrackingWorld) {
  const { cache } = tracking;
  return untilCached(
    tracking,
    () =>
      cache.linkByCode(world.link.code)?.partnershipStatus === "active" &&
      cache.offer(world.offer.id)?.status === "active" &&
      cache.organizationStatus(world.merchant.organization.id) === "active" &&
      cache.organizationStatus(world.publisher.organization.id) === "active" &&
      cache.merchantForTokenHash(hashToken(world.token)) === world.merchant.organization.id &&
      cache.signingSecret(world.merchant.organization.id) === world.signingSecret,
    "the new tracking world",
  );
}
