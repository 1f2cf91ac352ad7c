import type { AppLoadContext } from "@remix-run/node";
import { servesHttps } from "~/config.server";
import { blankSessionCookie, sessionCookie } from "~/modules/auth/sessions.server";

export function setSessionHeaders(context: AppLoadContext, token: string, expiresAt: Date) {
  return { "set-cookie": sessionCookie(token, expiresAt, servesHttps(context.config)) };
}

export function clearSessionHeaders(context: AppLoadContext) {
  return { "set-cookie": blankSessionCookie(servesHttps(context.config)) };
}
