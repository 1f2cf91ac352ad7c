import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/lib/guards.server";
import { blankSessionCookie, readSessionToken, sessionCookie } from "~/modules/auth/sessions.server";
import { generateToken, hashToken } from "~/modules/auth/tokens.server";
import { slugify } from "~/modules/orgs/organizations.server";
import { applySecurityHeaders, documentCsp, isForeignMutation } from "#server/security";

const post = (origin?: string) => new Request("http://127.0.0.1:3000/login", { method: "POST", headers: origin ? { origin } : {} });

describe("origin check", () => {
  it("accepts only the origin the request was addressed to", () => {
    expect(isForeignMutation(post("http://127.0.0.1:3000"))).toBe(false);
    expect(isForeignMutation(post("http://localhost:3000"))).toBe(true);
    expect(isForeignMutation(post("https://evil.example"))).toBe(true);
    expect(isForeignMutation(post())).toBe(true);
    expect(isForeignMutation(new Request("http://127.0.0.1:3000/login"))).toBe(false);
  });
});

describe("security headers", () => {
  it("adds the baseline without overriding a route's own policy", () => {
    const headers = new Headers({ "content-security-policy": "sandbox" });
    applySecurityHeaders(headers, true);
    expect(headers.get("content-security-policy")).toBe("sandbox");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("strict-transport-security")).toContain("max-age=");
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
  it("slugifies names", () => {
    expect(slugify("Trail & Summit")).toBe("trail-summit");
    expect(slugify("Ünïcode Café")).toBe("unicode-cafe");
    expect(slugify("!!!")).toBe("org");
  });
});
