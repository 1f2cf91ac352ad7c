import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { FormErrors, TextField } from "~/components/form";
import { Button } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/guards.server";
import { signUp } from "~/modules/auth/accounts.server";
import { signUpSchema } from "~/modules/auth/schemas";

export const meta: MetaFunction = () => [{ title: "Create your account · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect("/app");
  const url = new URL(request.url);
  return { redirectTo: safeRedirectPath(url.searchParams.get("redirectTo"), ""), email: url.searchParams.get("email") ?? "" };
}

/** A new address and one that already has an account get the same answer; the email differs (OWASP). */
export async function action({ request, context }: ActionFunctionArgs) {
  const result = await handleForm(await request.formData(), signUpSchema, (input) =>
    signUp(context.db, { ...input, ip: context.clientIp }),
  );
  if (!result.ok) return result.response;
  return { ...result.reply, sent: true };
}

export default function SignUp() {
  const { redirectTo, email } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { email },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signUpSchema }),
  });
  const logInPath = `/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`;
  if (lastResult && "sent" in lastResult) {
    return (
      <AuthLayout title="Check your email">
        <p className="text-sm text-zinc-700">
          We sent an email to the address you entered. Follow it to confirm your address, then log in.
        </p>
        <Link to={logInPath} className="mt-6 inline-block font-semibold text-indigo-600">
          Log in
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Then set up your organization as a merchant or a publisher."
      footer={
        <>
          Already have an account?{" "}
          <Link to={logInPath} className="font-semibold text-indigo-600">
            Log in
          </Link>
        </>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors errors={form.errors} />
        <TextField field={fields.name} label="Your name" autoComplete="name" />
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <TextField
          field={fields.password}
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters. A passphrase works well."
        />
        <Button className="w-full" disabled={busy}>
          Create account
        </Button>
      </Form>
    </AuthLayout>
  );
}
