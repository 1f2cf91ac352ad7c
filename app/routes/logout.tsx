import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionHeaders } from "~/lib/cookies.server";
import { invalidateSession } from "~/modules/auth/sessions.server";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (context.auth) await invalidateSession(context.db, context.auth.session.id);
  return redirect("/login", { headers: clearSessionHeaders(context) });
}
