import { redirect, type AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { staffActorFor, type StaffActor } from "~/modules/auth/staff.server";
import { resolveTenant } from "~/modules/orgs/tenant.server";

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export function requireUser(request: Request, context: AppLoadContext) {
  if (!context.auth) throw loginRedirect(request);
  return context.auth;
}

/**
 * The signed-in staff user, as the actor every staff domain function requires. A 404, not a 403: to
 * anyone but staff the staff console does not exist.
 */
export function requireStaff(context: AppLoadContext): StaffActor {
  const staff = context.auth ? staffActorFor(context.auth.user) : null;
  if (!staff) throw new Response("Not found", { status: 404 });
  return staff;
}

/**
 * One lookup per request for loaders: a layout and its page both ask, with the same load context.
 * Actions (non-GET) always look again, since they may change the membership the loaders then read.
 */
const tenantsByRequest = new WeakMap<AppLoadContext, ReturnType<typeof resolveTenant>>();

/** The signed-in, verified user and the organization the session acts for. */
export async function requireTenant(request: Request, context: AppLoadContext) {
  const auth = requireUser(request, context);
  if (!auth.user.emailVerifiedAt) throw redirect("/verify-email");
  const cacheable = request.method === "GET";
  let lookup = cacheable ? tenantsByRequest.get(context) : undefined;
  if (!lookup) {
    lookup = resolveTenant(context.db, auth.user, auth.session.activeOrganizationId);
    if (cacheable) tenantsByRequest.set(context, lookup);
  }
  const tenant = await lookup;
  if (!tenant) throw redirect("/onboarding");
  return { auth, tenant };
}

/** Stands for the app's own origin: only the origin of the parsed target is compared with it. */
const OWN_ORIGIN = "http://switchboard.invalid";
const MAX_REDIRECT_LENGTH = 2048;

/**
 * A redirect target taken from input, as the path the URL parser itself resolves it to on this site.
 * Parsing (not prefix checks) is what a browser does: it drops tabs and newlines, so `/\t/evil.example`
 * is `//evil.example`, another host. The serialized path is percent-encoded, so it is always a valid
 * Location header.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/app"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > MAX_REDIRECT_LENGTH) return fallback;
  const target = URL.parse(value, OWN_ORIGIN);
  if (!target || target.origin !== OWN_ORIGIN) return fallback;
  // Dot segments can resolve to a path that starts with `//` (`/.//evil.example`): as a Location
  // header that is another host.
  if (target.pathname.startsWith("//")) return fallback;
  return target.pathname + target.search + target.hash;
}

/** A route's id parameter as a UUID; anything else is the same 404 as an id that does not exist. */
export function uuidParam(value: string | undefined, what: string): string {
  const id = z.uuid().safeParse(value);
  if (!id.success) throw new Response(`${what} not found`, { status: 404 });
  return id.data;
}
