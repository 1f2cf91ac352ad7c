import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import pino from "pino";
import { createServer as createVite } from "vite";
import type { Database } from "#db/client";
import { createOfferSearch } from "#search/engine";
import { createAppListener, type AppServices } from "#server/app";
import { resolveRequestAuth } from "#server/request-context";
import { loadConfig } from "~/config.server";
import { SESSION_COOKIE } from "~/modules/auth/sessions.server";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";
import type { TrackingEngine } from "~/modules/tracking/engine-types";
import { sendRaw } from "./raw-http";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** One route of the app's Remix manifest, with the URL pattern its ancestors add up to. */
export type RouteInfo = {
  id: string;
  /** The full URL pattern, like /app/offers/:id. */
  path: string;
  /** Dynamic segments of the pattern, in order. */
  params: string[];
  index: boolean;
  hasLoader: boolean;
  hasAction: boolean;
  /** Ancestor route ids, nearest first (always ends with "root"). */
  ancestors: string[];
};

/** Who sends a request: the session cookie the browser would carry, or none. */
export type Actor = { name: string; sessionToken: string | null };

export type FormFields = Record<string, string | string[]>;

export type RouteResponse = { status: number; location: string | null; body: string };

/**
 * A request as it arrives on the socket, for what a Request object cannot carry (a bad Host, any
 * method, any body). `target` is the path and query, sent as given; Host defaults to the app's, and
 * a mutation carries the app's Origin unless `origin` says otherwise (null: none).
 */
export type WireRequest = {
  method: string;
  target: string;
  headers?: Record<string, string>;
  host?: string;
  origin?: string | null;
  body?: string | Buffer;
};

/** The configuration requests see: the defaults, with a fixed public URL. */
export const harnessConfig = loadConfig({ APP_URL: "http://switchboard.test" });

/**
 * The load context server/app.ts builds for a request, from the database the request runs on and
 * the session it carries. The one place to extend when the context grows.
 */
export function appLoadContext(db: Database, auth: AppLoadContext["auth"], tracking: TrackingEngine): AppLoadContext {
  return {
    db,
    config: harnessConfig,
    search: createOfferSearch(db, harnessConfig),
    auth,
    cspNonce: "route-harness-nonce",
    clientIp: "203.0.113.7",
    tracking,
  };
}

/** Reads the app's routes from its server build, nearest ancestors resolved into full URL patterns. */
export function routeManifest(build: ServerBuild): RouteInfo[] {
  const all = build.routes;
  return Object.values(all)
    .filter((route) => route !== undefined)
    .map((route) => {
      const ancestors: string[] = [];
      for (let parent = route.parentId; parent; parent = all[parent]?.parentId) ancestors.push(parent);
      const segments = [...ancestors]
        .reverse()
        .map((id) => all[id]!.path)
        .concat(route.path)
        .filter((segment): segment is string => Boolean(segment))
        .flatMap((segment) => segment.split("/"));
      return {
        id: route.id,
        path: `/${segments.join("/")}`,
        params: segments.filter((s) => s.startsWith(":") || s === "*").map((s) => (s === "*" ? "*" : s.slice(1).replace(/\?$/, ""))),
        index: Boolean(route.index),
        hasLoader: typeof route.module.loader === "function",
        hasAction: typeof route.module.action === "function",
        ancestors,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The route's URL with its params filled in; an action on an index route needs `?index`. */
export function routeUrl(route: RouteInfo, params: Record<string, string> = {}, options: { forAction?: boolean; query?: string } = {}) {
  const path = route.params.reduce((p, name) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.id}: no value for the :${name} param`);
    return p.replace(name === "*" ? "*" : new RegExp(`:${name}\\??`), encodeURIComponent(value));
  }, route.path);
  const query = [options.query, options.forAction && route.index ? "index" : ""].filter(Boolean).join("&");
  return query ? `${path}?${query}` : path;
}

function encodeForm(form: FormFields): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body;
}

export type RouteHarness = {
  routes: RouteInfo[];
  /** Sends a request through the app's Remix handler, as the server does after its own checks. */
  send(db: Database, actor: Actor, request: { method: "GET" | "POST"; url: string; form?: FormFields }): Promise<RouteResponse>;
  /** Sends a request over HTTP through the server's own request handling (server/app.ts), on that database. */
  sendOverHttp(database: AppServices["database"], actor: Actor, request: WireRequest): Promise<RouteResponse>;
  /** The tracking engine requests get, started on the test's database (tests/support/tracking.ts). */
  attachTracking(tracking: StartedTrackingEngine): void;
  close(): Promise<void>;
};

/**
 * The app's real server build, loaded the way server/app.ts does in development (Vite's SSR module
 * loader), with its request handler. Requests go through Remix with the app's load context, but not
 * through node:http: the Origin check and security headers are the server's own tests' concern.
 */
export async function startRouteHarness(): Promise<RouteHarness> {
  const vite = await createVite({
    root,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: "custom",
  });
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  const handle = createRequestHandler(build, "production");
  const origin = harnessConfig.APP_URL;
  let attached: StartedTrackingEngine | null = null;
  const tracking = () => {
    if (!attached) throw new Error("The route harness needs a tracking engine: call attachTracking(await startTestTracking(handle)).");
    return attached;
  };

  return {
    routes: routeManifest(build),
    async send(db, actor, { method, url, form }) {
      const headers = new Headers({ host: new URL(origin).host });
      if (actor.sessionToken) headers.set("cookie", `${SESSION_COOKIE}=${actor.sessionToken}`);
      if (method === "POST") {
        headers.set("origin", origin);
        headers.set("content-type", "application/x-www-form-urlencoded");
      }
      const request = new Request(new URL(url, origin), { method, headers, body: method === "POST" ? encodeForm(form ?? {}) : undefined });
      const { auth } = await resolveRequestAuth(db, request, false);
      const response = await handle(request, appLoadContext(db, auth, tracking().engine));
      return { status: response.status, location: response.headers.get("location"), body: await response.text() };
    },
    async sendOverHttp(database, actor, wire) {
      const listener = createAppListener({
        database,
        config: harnessConfig,
        search: createOfferSearch(database.db, harnessConfig),
        remix: handle,
        tracking: tracking(),
        logger: pino({ level: "error", base: undefined }, { write: (line: string) => console.error(loggedError(line)) }),
      });
      const server = createServer(listener);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        return await sendTo((server.address() as AddressInfo).port, actor, wire);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    attachTracking(started) {
      attached = started;
    },
    close: () => vite.close(),
  };
}

/** The error of a server log line, as console.error would print it. */
function loggedError(line: string): string {
  const { err, msg } = JSON.parse(line) as { err?: { type: string; message: string }; msg: string };
  return err ? `${err.type}: ${err.message}` : msg;
}

async function sendTo(
  port: number,
  actor: Actor,
  { method, target, headers = {}, host, origin, body }: WireRequest,
): Promise<RouteResponse> {
  const app = new URL(harnessConfig.APP_URL);
  const all: Record<string, string> = { host: host ?? app.host, ...headers };
  const sendsOrigin = origin !== undefined ? origin : ["GET", "HEAD", "OPTIONS"].includes(method) ? null : app.origin;
  if (sendsOrigin !== null) all.origin = sendsOrigin;
  if (actor.sessionToken) all.cookie = [all.cookie, `${SESSION_COOKIE}=${actor.sessionToken}`].filter(Boolean).join("; ");
  if (body !== undefined) all["content-length"] = String(Buffer.byteLength(body));
  const answer = await sendRaw(port, { method, path: target, headers: all, body });
  return { status: answer.status, location: answer.headers.location ?? null, body: answer.body };
}
