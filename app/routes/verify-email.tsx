import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { Alert, Button } from "~/components/ui";
import { requireUser } from "~/lib/guards.server";
import { resendVerification, verifyEmail } from "~/modules/auth/accounts.server";
import { DomainError } from "~/modules/errors.server";

export const meta: MetaFunction = () => [{ title: "Verify your email · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (token) {
    try {
      await verifyEmail(context.db, token);
    } catch (error) {
      if (error instanceof DomainError)
        return { state: "invalid" as const, message: error.message, email: context.auth?.user.email ?? null };
      throw error;
    }
    return context.auth ? redirect("/app?verified=1") : { state: "verified" as const, message: null, email: null };
  }
  const { user } = requireUser(request, context);
  if (user.emailVerifiedAt) throw redirect("/app");
  return { state: "waiting" as const, message: null, email: user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(request, context);
  try {
    await resendVerification(context.db, user, { appUrl: context.config.APP_URL });
  } catch (error) {
    if (error instanceof DomainError) return { resent: false, message: error.message };
    throw error;
  }
  return { resent: true, message: null };
}

export default function VerifyEmail() {
  const data = useLoaderData<typeof loader>();
  const resend = useActionData<typeof action>();
  if (data.state === "verified") {
    return (
      <AuthLayout title="Email verified">
        <p className="text-sm text-zinc-700">Thank you. Log in to continue.</p>
        <Link to="/login" className="mt-6 inline-block font-semibold text-indigo-600">
          Log in
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={data.state === "invalid" ? "That link did not work" : "Check your inbox"}>
      <div className="space-y-5">
        {data.state === "invalid" ? <Alert tone="error">{data.message}</Alert> : null}
        {data.email ? (
          <p className="text-sm text-zinc-700">
            We sent a verification link to <strong>{data.email}</strong>. Open it to activate your account.
          </p>
        ) : null}
        {resend?.resent ? <Alert tone="success">A new link is on its way.</Alert> : null}
        {resend?.message ? <Alert tone="error">{resend.message}</Alert> : null}
        {data.email ? (
          <Form method="post">
            <Button variant="secondary">Send the link again</Button>
          </Form>
        ) : (
          <Link to="/login" className="font-semibold text-indigo-600">
            Log in to ask for a new link
          </Link>
        )}
      </div>
    </AuthLayout>
  );
}
