import { isIP } from "node:net";
import type { AppLoadContext } from "@remix-run/node";
import type { Config } from "~/config.server";
import { blankSessionCookie, readSessionToken, sessionCookie, SESSION_COOKIE, validateSessionToken } from "~/modules/auth/sessions.server";
import type { Database } from "#db/client";

/**
 * The address of whoever reached the first of our `TRUST_PROXY` proxies. Each proxy appends the
 * address it was reached from to X-Forwarded-For, so only the right-most hops are ours; anything to
 * their left was written by the client and may be forged.
 */
export function clientIp(forwardedFor: string | null | undefined, remoteAddress: string, config: Pick<Config, "TRUST_PROXY">): string {
  if (config.TRUST_PROXY === 0 || !forwardedFor) return remoteAddress;
  const hops = [...forwardedFor.split(",").map((hop) => hop.trim()), remoteAddress].filter(Boolean);
  const candidate = hops[Math.max(0, hops.length - 1 - config.TRUST_PROXY)];
  return candidate && isIP(candidate) ? candidate : remoteAddress;
}

/**
 * Resolves the session once per request and returns the cookie the response must carry: a renewed
 * one when the session was extended, a blank one when the cookie named no live session.
 */
export async function resolveRequestAuth(db: Database, request: Request, secure: boolean) {
  const token = readSessionToken(request.headers.get("cookie"));
  if (!token) return { auth: null, cookie: null };
  const auth = await validateSessionToken(db, token);
  if (!auth) return { auth: null, cookie: blankSessionCookie(secure) };
  return { auth, cookie: auth.renewed ? sessionCookie(token, auth.session.expiresAt, secure) : null };
}

/** Adds the session cookie unless the route already set one (log in, log out). */
export function withSessionCookie(response: Response, cookie: string | null): Response {
  if (!cookie) return response;
  const already = response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!already) response.headers.append("set-cookie", cookie);
  return response;
}

export type { AppLoadContext };
