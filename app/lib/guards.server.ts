import { redirect, type AppLoadContext } from "@remix-run/node";
import { resolveTenant } from "~/modules/orgs/tenant.server";

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export function requireUser(request: Request, context: AppLoadContext) {
  if (!context.auth) throw loginRedirect(request);
  return context.auth;
}

/** A 404, not a 403: to anyone but staff the staff console does not exist. */
export function requireStaff(context: AppLoadContext) {
  if (!context.auth?.user.isStaff) throw new Response("Not found", { status: 404 });
  return context.auth;
}

/** The signed-in, verified user and the organization the session acts for. */
export async function requireTenant(request: Request, context: AppLoadContext) {
  const auth = requireUser(request, context);
  if (!auth.user.emailVerifiedAt) throw redirect("/verify-email");
  const tenant = await resolveTenant(context.db, auth.user, auth.session.activeOrganizationId);
  if (!tenant) throw redirect("/onboarding");
  return { auth, tenant };
}

export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/app"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
