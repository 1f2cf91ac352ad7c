import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createRequestHandler, type RequestHandler } from "@remix-run/node";
import { createRequestListener, type ClientAddress } from "@remix-run/node-fetch-server";
import sirv from "sirv";
import type { ViteDevServer } from "vite";
import { openConfiguredDatabase, pingDatabase, type DatabaseHandle } from "#db/client";
import { createOfferSearch } from "#search/engine";
import type { OfferSearch } from "#search/types";
import { servesHttps, type Config } from "~/config.server";
import { API_METHODS, createApiHandler } from "~/modules/api/handler.server";
import { isApiPath } from "~/modules/api/paths";
import { startTrackingEngine, type StartedTrackingEngine } from "~/modules/tracking/engine.server";
import type { Logger } from "./logger";
import { clientIp, resolveRequestAuth, withSessionCookie } from "./request-context";
import { formRequest, refuseUnaddressable, type Refusal } from "./request-input";
import { isForeignMutation, securityHeaders } from "./security";
import { startWorkers } from "./workers";

const root = fileURLToPath(new URL("..", import.meta.url));

async function loadBuild(dev: boolean): Promise<{ build: () => Promise<ServerBuild>; vite?: ViteDevServer }> {
  if (!dev) {
    const build = (await import(/* @vite-ignore */ `${root}build/server/index.js`)) as ServerBuild;
    return { build: async () => build };
  }
  const { createServer: createVite } = await import("vite");
  const vite = await createVite({ root, server: { middlewareMode: true } });
  return { build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>, vite };
}

/** The whole app: database, background jobs and the HTTP server, with an orderly shutdown. */
export async function startApp(config: Config, logger: Logger) {
  const dev = config.NODE_ENV === "development";
  const database = await openConfiguredDatabase(config);
  const search = createOfferSearch(database.db, config);
  await search.setup();
  if (config.DATABASE_URL && (!config.CLICK_SIGNING_KEYS || !config.IP_HMAC_KEY)) {
    logger.warn(
      `CLICK_SIGNING_KEYS or IP_HMAC_KEY is not set: this instance keeps its own in ${config.DATA_DIR}/tracking-keys.json, ` +
        "so other instances will refuse its click ids and count its visitors apart. Give every instance the same keys.",
    );
  }
  const tracking = await startTrackingEngine(database, {
    appUrl: config.APP_URL,
    dataDir: config.DATA_DIR,
    clickSigningKeys: config.CLICK_SIGNING_KEYS,
    ipHmacKey: config.IP_HMAC_KEY,
    geoipDb: config.GEOIP_DB,
    onError: (error, what) => logger.error({ err: error }, `tracking: ${what} failed`),
  });
  const { build, vite } = await loadBuild(dev);
  const workers = config.RUN_WORKERS ? await startWorkers(database, config, search, logger) : null;
  const remix = createRequestHandler(async () => build(), dev ? "development" : "production");

  const assets = dev ? null : sirv(`${root}build/client`, { etag: true, gzip: true, setHeaders: immutableAssets });
  const staticFiles = vite ? vite.middlewares : assets!;
  const server: Server = createServer(
    createAppListener({ database, config, search, remix, logger, tracking }, (req, res, next) => staticFiles(req, res, next)),
  );
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all([drained, workers?.stop()]);
      // After the last request: every click and postback log line buffered so far is written.
      await tracking.close();
      await vite?.close();
      await database.close();
    })());

  return { server, database, tracking, close };
}

/** What the server's request handling needs: the database, its configuration and the Remix handler. */
export type AppServices = {
  database: Pick<DatabaseHandle, "db" | "engine">;
  config: Config;
  search: OfferSearch;
  remix: RequestHandler;
  logger: Logger;
  tracking: Pick<StartedTrackingEngine, "engine" | "handleClick" | "handlePostback">;
};

type StaticFiles = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The server's handling of one request, as node:http hands it over: security headers, requests no
 * route can address, static files (when given), health, the Origin check, the form gate, the
 * session and the Remix handler. Built without listening, so tests send requests through the very
 * same steps.
 */
export function createAppListener({ database, config, search, remix, logger, tracking }: AppServices, staticFiles?: StaticFiles) {
  const secure = servesHttps(config);
  const appOrigin = new URL(config.APP_URL).origin;
  const baselineHeaders = securityHeaders(secure);
  const api = createApiHandler({
    db: database.db,
    links: { appUrl: config.APP_URL, linkUrl: (code) => tracking.engine.linkUrl(code) },
    maxBodyBytes: config.MAX_BODY_BYTES,
    onError: (error) => logger.error({ err: error }, "api request failed"),
  });

  async function handle(request: Request, client: ClientAddress): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return health(database, search.engine);
    // Server to server: no Origin, no session, its own parsing and JSON answers.
    if (url.pathname === "/postback") return tracking.handlePostback(request);
    // Server to server too: a key instead of a session, JSON in and out (ADR 0029).
    if (isApiPath(url.pathname)) return api(request);
    if (isForeignMutation(request, appOrigin)) {
      return new Response("Cross-site request refused: the Origin header does not match this site.", { status: 403 });
    }
    // Everything from here on is a page or a form action: only form input reaches the routes.
    const input = await formRequest(request, config.MAX_BODY_BYTES);
    if (!(input instanceof Request)) {
      logger.info({ method: request.method, path: url.pathname, status: input.status }, input.message);
      return refusalResponse(input);
    }
    const { auth, cookie } = await resolveRequestAuth(database.db, input, secure);
    const cspNonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    const ip = clientIp(input.headers.get("x-forwarded-for"), client.address, config);
    const response = await remix(input, { db: database.db, config, search, auth, cspNonce, clientIp: ip, tracking: tracking.engine });
    if (auth && !response.headers.has("cache-control")) response.headers.set("cache-control", "private, no-store");
    return withSessionCookie(response, cookie);
  }

  const listener = createRequestListener(
    async (request: Request, client: ClientAddress) => {
      const response = await handle(request, client);
      if (response.status === 404) logger.info({ method: request.method, path: new URL(request.url).pathname, status: 404 }, "not found");
      return response;
    },
    {
      onError: (error) => {
        logger.error({ err: error }, "request failed");
        return new Response("Something went wrong on our side.", { status: 500 });
      },
    },
  );

  return (req: IncomingMessage, res: ServerResponse) => {
    // The click redirect comes first: nothing but a 302 and a line in memory.
    if (req.url!.startsWith("/c/") && (req.method === "GET" || req.method === "HEAD")) {
      tracking.handleClick(
        req,
        res,
        clientIp(req.headers["x-forwarded-for"] as string | undefined, req.socket.remoteAddress ?? "", config),
      );
      return;
    }
    for (const [name, value] of Object.entries(baselineHeaders)) res.setHeader(name, value);
    // The path as the router will see it (dot segments resolved), so what it allows is what is served.
    const forApi = isApiPath(URL.parse(req.url!, "http://path.invalid")?.pathname ?? "");
    const refusal = refuseUnaddressable(req, forApi ? API_METHODS : undefined);
    if (refusal) {
      logger.info({ method: req.method, status: refusal.status }, refusal.message);
      res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8", ...refusal.headers }).end(refusal.message);
      return;
    }
    const next = () => void listener(req, res);
    // Postbacks come from servers, never for a file: straight to the handler.
    if (staticFiles && !req.url!.startsWith("/postback") && !forApi) staticFiles(req, res, next);
    else next();
  };
}

function refusalResponse(refusal: Refusal): Response {
  return new Response(refusal.message, {
    status: refusal.status,
    headers: { "content-type": "text/plain; charset=utf-8", ...refusal.headers },
  });
}

function immutableAssets(res: ServerResponse, pathname: string) {
  if (pathname.startsWith("/assets/")) res.setHeader("cache-control", "public, max-age=31536000, immutable");
}

/** Cheap enough for a load balancer to call every few seconds: one round trip to the database. */
async function health(database: AppServices["database"], searchEngine: OfferSearch["engine"]): Promise<Response> {
  const headers = { "content-type": "application/json", "cache-control": "no-store" };
  try {
    await pingDatabase(database.db);
    return new Response(
      JSON.stringify({ status: "ok", database: { engine: database.engine, reachable: true }, search: { engine: searchEngine } }),
      { headers },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const body = {
      status: "error",
      database: { engine: database.engine, reachable: false, error: message },
      search: { engine: searchEngine },
    };
    return new Response(JSON.stringify(body), { status: 503, headers });
  }
}
