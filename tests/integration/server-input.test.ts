import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { loadConfig } from "~/config.server";
import { startApp } from "#server/app";
import { createServerDatabase } from "../support/database";
import { createOrgWithOwner, PASSWORD, uniqueEmail } from "../support/factories";

/*
 * The real server (request handler, Remix in Vite's dev mode, a real database) on a free port, asked
 * the way a careless client or an attacker would.
 */
const APP_URL = "https://switchboard.example";
const MAX_BODY_BYTES = 16_384;
const logLines: Record<string, unknown>[] = [];
let app: Awaited<ReturnType<typeof startApp>>;
let base: string;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  const serverUrl = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-server-"));
  const database = serverUrl ? await createServerDatabase(serverUrl) : null;
  const config = loadConfig({
    NODE_ENV: "development",
    PORT: "0",
    APP_URL,
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url,
    RUN_WORKERS: "false",
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  app = await startApp(config, pino({ level: "info" }, sink));
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  cleanUp = async () => {
    await app.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}, 120_000);

afterAll(() => cleanUp());

/** A request node's fetch would refuse to send: any method, any Host header, the path exactly as written (dot segments kept). */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", body, headers: { origin: APP_URL, ...headers }, redirect: "manual" });

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

async function signedInPublisher() {
  const { owner } = await createOrgWithOwner(app.database.db, "publisher");
  return `sb_session=${owner.sessionToken}`;
}

describe("requests no route can address", () => {
  it("answers TRACE and other unserved methods 405, with the security headers", async () => {
    const response = await rawRequest("TRACE", "/");
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD, POST");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("allows the API's methods only on paths that reach the API once dot segments are resolved", async () => {
    expect((await rawRequest("PATCH", "/api/v1/offers/x")).status).toBe(401);
    const escaped = await rawRequest("PATCH", "/api/v1/../login");
    expect(escaped.status).toBe(405);
    expect(escaped.headers.allow).toBe("GET, HEAD, POST");
    expect((await rawRequest("PATCH", "/app/../api/v1/offers/x")).status).toBe(401);
  });

  it("answers a Host that is not a host 400", async () => {
    for (const host of ["[", "user@switchboard.example", "a/b"]) {
      const response = await rawRequest("GET", "/", { host });
      expect(response.status, host).toBe(400);
    }
  });
});

describe("bodies that are not forms", () => {
  it("answers JSON, text/plain and a missing type 415", async () => {
    expect((await post("/login", JSON.stringify({ email: "a" }), { "content-type": "application/json" })).status).toBe(415);
    expect((await post("/login", "email=a", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post("/signup", new Uint8Array([1, 2, 3]))).status).toBe(415);
  });

  it("answers a malformed multipart body 400", async () => {
    const response = await post("/login", "--x\r\nnonsense", { "content-type": "multipart/form-data; boundary=x" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not be read");
  });

  it("answers a body over MAX_BODY_BYTES 413, declared or streamed", async () => {
    const big = form({ email: "a".repeat(MAX_BODY_BYTES) });
    expect((await post("/login", big)).status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(`x${i}=${"a".repeat(MAX_BODY_BYTES / 2)}&`));
        controller.close();
      },
    });
    const response = await fetch(`${base}/login`, {
      method: "POST",
      body: chunked,
      headers: { origin: APP_URL, "content-type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe("form input", () => {
  it("accepts the Origin of APP_URL behind a TLS-terminating proxy, whatever Host the proxy forwards", async () => {
    const credentials = form({ email: "nobody@example.com", password: "wrong password" });
    for (const headers of [{}, { "x-forwarded-host": "internal.example" }] as Record<string, string>[]) {
      const response = await post("/login", credentials, headers);
      expect(response.status).toBe(400);
    }
    expect((await post("/login", credentials, { origin: "http://switchboard.example" })).status).toBe(403);
  });

  it("strips NUL and other control characters before they reach PostgreSQL", async () => {
    const { owner } = await createOrgWithOwner(app.database.db, "publisher");
    const cookie = `sb_session=${owner.sessionToken}`;
    const response = await post("/app/account", form({ intent: "name", name: "Null\u0000Byte\u0007" }), { cookie });
    expect(response.status).toBe(200);
    const rows = await app.database.db.select({ name: users.name }).from(users).where(eq(users.id, owner.user.id));
    expect(rows).toEqual([{ name: "NullByte" }]);
  });

  it("strips them from the query too", async () => {
    const cookie = await signedInPublisher();
    const response = await fetch(`${base}/app/marketplace?q=a%00b&niche=%00&country=x%00`, { headers: { cookie } });
    expect(response.status).toBe(200);
  });

  it("answers an over-long field with the field's message, not a database error", async () => {
    const response = await post("/signup", form({ name: "n".repeat(5000), email: uniqueEmail(), password: "a long enough passphrase" }));
    expect(response.status).toBe(422);
  });

  it("re-renders a failed form whatever shape the client posted under a list's name", async () => {
    const cookie = await signedInPublisher();
    const body = "intent=profile&niches.x=1&niches[0]=2&websites=notalist&socialChannels.a.b=c&description=x";
    const response = await post("/app/profile", body, { cookie, "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Profile");
  });

  it("never redirects off the site, whatever redirectTo holds", async () => {
    const { owner } = await createOrgWithOwner(app.database.db, "publisher");
    for (const redirectTo of ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/caf\u00e9\u0100", "/\r\nx", "/\u0000"]) {
      const response = await post("/login", form({ email: owner.user.email, password: PASSWORD, redirectTo }));
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      const location = response.headers.get("location")!;
      expect(new URL(location, APP_URL).origin, JSON.stringify(redirectTo)).toBe(APP_URL);
    }
  });

  it("does the same for a signed-in visitor of /login", async () => {
    const cookie = await signedInPublisher();
    for (const redirectTo of ["/%09/evil.example", "/%0D%0A/evil.example", "/%00", "/%C4%80"]) {
      const response = await fetch(`${base}/login?redirectTo=${redirectTo}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, redirectTo).toBe(302);
      expect(new URL(response.headers.get("location")!, APP_URL).origin, redirectTo).toBe(APP_URL);
    }
  });
});

describe("headers", () => {
  it("marks signed-in pages private, no-store", async () => {
    const cookie = await signedInPublisher();
    const response = await fetch(`${base}/app`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("puts the security headers on static files", async () => {
    const response = await fetch(`${base}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("odd paths and queries", () => {
  it("never answer 500", async () => {
    const cookie = await signedInPublisher();
    const paths = [
      "/app/%E0%A4%A",
      "/invitations/%00",
      "/reset-password?token=%00",
      "/app/marketplace/%00",
      "/signup?email=%00",
      "/app/applications?status=%00",
      "/app/marketplace?page=%00&sort=%00&q=%FF",
      `/login?redirectTo=${"a".repeat(10_000)}`,
    ];
    for (const path of paths) {
      const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, path.slice(0, 60)).toBeLessThan(500);
    }
  });
});

describe("unknown paths", () => {
  it("render the not-found page, whose scripts carry the CSP nonce, and are logged", async () => {
    for (const [method, path] of [
      ["GET", "/no/such/page"],
      ["POST", "/no/such/page"],
    ] as const) {
      const response = method === "GET" ? await fetch(`${base}${path}`) : await post(path, form({ a: "1" }));
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html).toContain("Page not found");
      expect(html).not.toContain("No route matches");
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1]!;
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) if (!/\bsrc=/.test(script)) expect(script).toContain(`nonce="${nonce}"`);
      expect(logLines).toContainEqual(expect.objectContaining({ msg: "not found", method, path, status: 404 }));
    }
  });
});
