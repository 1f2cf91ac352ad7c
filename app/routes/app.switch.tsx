import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { orErrorResponse } from "~/lib/forms.server";
import { requireUser } from "~/lib/guards.server";
import { switchOrganization } from "~/modules/orgs/organizations.server";

const switchSchema = z.object({ organizationId: z.uuid() });

export async function loader() {
  return redirect("/app");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireUser(request, context);
  const parsed = switchSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Choose one of your organizations.", { status: 400 });
  await orErrorResponse(() => switchOrganization(context.db, { user: auth.user, sessionId: auth.session.id }, parsed.data.organizationId));
  return redirect("/app");
}
