import { DrizzleQueryError } from "drizzle-orm/errors";
import { errorMessage } from "#db/jobs/runner";
import { withoutQueryValues } from "#server/logger";
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/lib/guards.server";
import { blankSessionCookie, readSessionToken, sessionCookie } from "~/modules/auth/sessions.server";
import { generateToken, hashToken } from "~/modules/auth/tokens.server";
import { slugify } from "~/modules/orgs/organizations.server";
import { clientIp } from "#server/request-context";
import { documentCsp, isForeignMutation, securityHeaders } from "#server/security";

const post = (origin?: string) => new Request("http://127.0.0.1:3000/login", { method: "POST", headers: origin ? { origin } : {} });
const APP_ORIGIN = "https://net.example";

describe("origin check", () => {
  it("accepts only the public origin or the origin the request was addressed to", () => {
    expect(isForeignMutation(post("http://127.0.0.1:3000"), APP_ORIGIN)).toBe(false);
    expect(isForeignMutation(post("https://net.example"), APP_ORIGIN)).toBe(false);
    expect(isForeignMutation(post("http://net.example"), APP_ORIGIN)).toBe(true);
    expect(isForeignMutation(post("http://localhost:3000"), APP_ORIGIN)).toBe(true);
    expect(isForeignMutation(post("https://evil.example"), APP_ORIGIN)).toBe(true);
    expect(isForeignMutation(post(), APP_ORIGIN)).toBe(true);
    expect(isForeignMutation(new Request("http://127.0.0.1:3000/login"), APP_ORIGIN)).toBe(false);
  });
});

describe("client address", () => {
  const socket = "10.0.0.9";
  it("ignores X-Forwarded-For unless a proxy is trusted", () => {
    expect(clientIp("203.0.113.7", socket, { TRUST_PROXY: 0 })).toBe("10.0.0.9");
  });
  it("takes the hop the trusted proxies appended, not what the client wrote to its left", () => {
    expect(clientIp("1.1.1.1, 203.0.113.7", socket, { TRUST_PROXY: 1 })).toBe("203.0.113.7");
    expect(clientIp("1.1.1.1, 203.0.113.7, 10.0.0.2", socket, { TRUST_PROXY: 2 })).toBe("203.0.113.7");
    expect(clientIp(null, socket, { TRUST_PROXY: 1 })).toBe("10.0.0.9");
    expect(clientIp("not-an-ip", socket, { TRUST_PROXY: 1 })).toBe("10.0.0.9");
  });
});

describe("security headers", () => {
  it("has the baseline, and HSTS only over https", () => {
    expect(securityHeaders(true)).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    });
    expect(securityHeaders(true)["strict-transport-security"]).toContain("max-age=");
    expect(securityHeaders(false)["strict-transport-security"]).toBeUndefined();
  });
  it("allows scripts only by nonce in production", () => {
    const csp = documentCsp("abc", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
  });
});

describe("session cookie and tokens", () => {
  it("is HttpOnly, SameSite=Lax, Secure on https, and read back by name", () => {
    const cookie = sessionCookie("tok", new Date("2030-01-01T00:00:00Z"), true);
    expect(cookie).toMatch(/^sb_session=tok; HttpOnly; SameSite=Lax; Path=\/; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Secure$/);
    expect(blankSessionCookie(false)).toContain("Max-Age=0");
    expect(readSessionToken("a=1; sb_session=xyz; b=2")).toBe("xyz");
    expect(readSessionToken("a=1")).toBeNull();
  });
  it("makes 160-bit tokens and stores SHA-256 hex", () => {
    const token = generateToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("helpers", () => {
  it("redirects only to local paths", () => {
    expect(safeRedirectPath("/app/team")).toBe("/app/team");
    expect(safeRedirectPath("//evil.example")).toBe("/app");
    expect(safeRedirectPath("/\\evil.example")).toBe("/app");
    expect(safeRedirectPath("https://evil.example")).toBe("/app");
    expect(safeRedirectPath(null, "/onboarding")).toBe("/onboarding");
  });
  it("resolves a redirect target as a browser would, so control characters cannot make it leave the site", () => {
    expect(safeRedirectPath("/\t/evil.example")).toBe("/app");
    expect(safeRedirectPath("/\n/evil.example")).toBe("/app");
    expect(safeRedirectPath("/\r\n/evil.example")).toBe("/app");
    expect(safeRedirectPath("/%09/evil.example")).toBe("/%09/evil.example");
    expect(safeRedirectPath("/app?x=1#top")).toBe("/app?x=1#top");
    expect(safeRedirectPath(`/${"a".repeat(3000)}`)).toBe("/app");
    for (const dotted of ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/a/..//evil.example", "/./\\evil.example"]) {
      expect(safeRedirectPath(dotted), dotted).toBe("/app");
    }
  });
  it("always yields a valid Location header", () => {
    for (const target of ["/a\u0000b", "/caf\u00e9/\u20ac", "/x\r\nSet-Cookie: a=b", "/\ud83d\ude00?q=\u00ff"]) {
      const path = safeRedirectPath(target);
      expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
      expect(() => new Headers({ location: path })).not.toThrow();
      expect(path).toMatch(/^[\x21-\x7e]+$/);
    }
  });
  it("slugifies names", () => {
    expect(slugify("Trail & Summit")).toBe("trail-summit");
    expect(slugify("Ünïcode Café")).toBe("unicode-cafe");
    expect(slugify("!!!")).toBe("org");
  });
});

describe("errors that leave the process", () => {
  const failed = new DrizzleQueryError(
    "insert into users (password_hash) values ($1)",
    ["$argon2id$secret"],
    new Error("connection reset"),
  );
  it("tell staff what PostgreSQL said, never the values a query was sent", () => {
    expect(errorMessage(failed)).toBe("connection reset");
  });
  it("keep the query but not its values in the log", () => {
    const logged = withoutQueryValues(failed) as Error;
    expect(logged.message).toBe("Failed query: insert into users (password_hash) values ($1)");
    expect(`${logged.message} ${logged.stack}`).not.toContain("secret");
  });
});
