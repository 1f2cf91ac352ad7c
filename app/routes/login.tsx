import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Button } from "~/components/ui";
import { setSessionHeaders } from "~/lib/cookies.server";
import { handleForm } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/guards.server";
import { logIn } from "~/modules/auth/accounts.server";
import { logInSchema } from "~/modules/auth/schemas";

export const meta: MetaFunction = () => [{ title: "Log in · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (context.auth) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo"), context.auth.user.isStaff ? "/staff" : "/app"));
  return { redirectTo: safeRedirectPath(url.searchParams.get("redirectTo"), ""), reset: url.searchParams.has("reset") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const result = await handleForm(formData, logInSchema, (input) =>
    logIn(context.db, { ...input, ip: context.clientIp, ipHmac: context.tracking.ipHmac(context.clientIp) }),
  );
  if (!result.ok) return result.response;
  const { user, sessionToken, session } = result.value;
  const fallback = user.isStaff ? "/staff" : "/app";
  return redirect(safeRedirectPath(formData.get("redirectTo"), fallback), {
    headers: setSessionHeaders(context, sessionToken, session.expiresAt),
  });
}

export default function LogIn() {
  const { redirectTo, reset } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: logInSchema }),
  });
  return (
    <AuthLayout
      title="Log in"
      footer={
        <>
          New to Switchboard?{" "}
          <Link
            to={`/signup${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}
            className="font-semibold text-indigo-600"
          >
            Create an account
          </Link>
        </>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        {reset ? <Alert tone="success">Your password was changed. Log in with the new one.</Alert> : null}
        <FormErrors errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <TextField field={fields.password} label="Password" type="password" autoComplete="current-password" />
        <div className="flex items-center justify-between">
          <Link to="/forgot-password" className="text-sm text-indigo-600 hover:underline">
            Forgot your password?
          </Link>
          <Button disabled={busy}>Log in</Button>
        </div>
      </Form>
    </AuthLayout>
  );
}
