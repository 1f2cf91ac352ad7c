import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { FormErrors, TextField } from "~/components/form";
import { Button } from "~/components/ui";
import { setSessionHeaders } from "~/lib/cookies.server";
import { handleForm } from "~/lib/forms.server";
import { resetPassword } from "~/modules/auth/accounts.server";
import { resetPasswordSchema } from "~/modules/auth/schemas";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Switchboard" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!token) throw new Response("This page needs the link from your reset email.", { status: 400 });
  return { token };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await handleForm(await request.formData(), resetPasswordSchema, (input) =>
    resetPassword(context.db, { ...input, ipHmac: context.tracking.ipHmac(context.clientIp) }),
  );
  if (!result.ok) return result.response;
  return redirect("/app", { headers: setSessionHeaders(context, result.value.sessionToken, result.value.session.expiresAt) });
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  return (
    <AuthLayout title="Choose a new password" subtitle="Every device signed in to your account will be logged out.">
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="token" value={token} />
        <TextField
          field={fields.password}
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
        />
        <Button className="w-full" disabled={busy}>
          Set new password
        </Button>
      </Form>
    </AuthLayout>
  );
}
