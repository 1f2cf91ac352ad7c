import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Button } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requestPasswordReset } from "~/modules/auth/accounts.server";
import { forgotPasswordSchema } from "~/modules/auth/schemas";

export const meta: MetaFunction = () => [{ title: "Forgot your password · Switchboard" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await handleForm(await request.formData(), forgotPasswordSchema, (input) =>
    requestPasswordReset(context.db, { ...input, ip: context.clientIp }),
  );
  if (!result.ok) return result.response;
  return { ...result.reply, sent: true };
}

export default function ForgotPassword() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  const sent = lastResult && "sent" in lastResult;
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="We email you a link to choose a new one."
      footer={
        <Link to="/login" className="font-semibold text-indigo-600">
          Back to log in
        </Link>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        {sent ? <Alert tone="success">If an account uses that address, a reset link is on its way. It is valid for one hour.</Alert> : null}
        <FormErrors errors={form.errors} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        <Button className="w-full" disabled={busy}>
          Send reset link
        </Button>
      </Form>
    </AuthLayout>
  );
}
