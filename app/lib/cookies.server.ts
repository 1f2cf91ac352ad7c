import type { AppLoadContext } from "@remix-run/node";
import { blankSessionCookie, sessionCookie } from "~/modules/auth/sessions.server";

function secure(context: AppLoadContext) {
  return context.config.APP_URL.startsWith("https:");
}

export function setSessionHeaders(context: AppLoadContext, token: string, expiresAt: Date) {
  return { "set-cookie": sessionCookie(token, expiresAt, secure(context)) };
}

export function clearSessionHeaders(context: AppLoadContext) {
  return { "set-cookie": blankSessionCookie(secure(context)) };
}
