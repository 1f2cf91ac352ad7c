import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { Alert, Button } from "~/components/ui";
import { requireUser } from "~/lib/guards.server";
import { DomainError } from "~/modules/errors.server";
import { acceptInvitation, findOpenInvitation } from "~/modules/orgs/team.server";
import { MEMBER_ROLE_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Invitation · Switchboard" }];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const invitation = await findOpenInvitation(context.db, params.token ?? "");
  if (!invitation) throw new Response("This invitation is invalid, expired or already used.", { status: 404 });
  const path = new URL(request.url).pathname;
  return {
    organizationName: invitation.organizationName,
    role: invitation.role,
    email: invitation.email,
    signedInAs: context.auth?.user.email ?? null,
    path,
  };
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  const auth = requireUser(request, context);
  try {
    await acceptInvitation(context.db, { user: auth.user, sessionId: auth.session.id }, params.token ?? "");
  } catch (error) {
    if (error instanceof DomainError && error.status !== 404) return { error: error.message };
    throw error instanceof DomainError ? new Response(error.message, { status: 404 }) : error;
  }
  return redirect("/app");
}

export default function InvitationPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const next = encodeURIComponent(data.path);
  return (
    <AuthLayout title={`Join ${data.organizationName}`} subtitle={`You are invited with the role ${MEMBER_ROLE_LABELS[data.role]}.`}>
      {result?.error ? (
        <div className="mb-5">
          <Alert tone="error">{result.error}</Alert>
        </div>
      ) : null}
      {data.signedInAs ? (
        <Form method="post" className="space-y-4">
          <p className="text-sm text-zinc-700">
            Signed in as <strong>{data.signedInAs}</strong>.
          </p>
          <Button className="w-full">Accept invitation</Button>
        </Form>
      ) : (
        <div className="space-y-3 text-sm text-zinc-700">
          <p>
            The invitation was sent to <strong>{data.email}</strong>. Create an account with that address, or log in if you have one.
          </p>
          <div className="flex gap-3">
            <Link
              to={`/signup?redirectTo=${next}&email=${encodeURIComponent(data.email)}`}
              className="rounded-md bg-indigo-600 px-3.5 py-2 font-semibold text-white"
            >
              Create account
            </Link>
            <Link to={`/login?redirectTo=${next}`} className="rounded-md px-3.5 py-2 font-semibold ring-1 ring-zinc-300">
              Log in
            </Link>
          </div>
        </div>
      )}
    </AuthLayout>
  );
}
