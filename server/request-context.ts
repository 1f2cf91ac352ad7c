import type { AppLoadContext } from "@remix-run/node";
import type { ClientAddress } from "@remix-run/node-fetch-server";
import type { Config } from "~/config.server";
import { blankSessionCookie, readSessionToken, sessionCookie, SESSION_COOKIE, validateSessionToken } from "~/modules/auth/sessions.server";
import type { Database } from "#db/client";

export function clientIp(request: Request, client: ClientAddress, config: Config): string {
  if (config.TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return client.address;
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
