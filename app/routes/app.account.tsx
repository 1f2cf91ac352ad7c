import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm } from "~/lib/forms.server";
import { requireUser } from "~/lib/guards.server";
import { changePassword, updateName } from "~/modules/auth/accounts.server";
import { changePasswordSchema, nameField } from "~/modules/auth/schemas";

export const meta: MetaFunction = () => [{ title: "Account · Switchboard" }];

const nameSchema = z.object({ name: nameField });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = requireUser(request, context);
  return { name: user.name, email: user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, session } = requireUser(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["name", "password"]);
  const result = await run();
  return result.ok ? { ...result.reply, done: intent } : result.response;

  function run() {
    switch (intent) {
      case "name":
        return handleForm(formData, nameSchema, ({ name }) => updateName(context.db, user.id, name));
      case "password":
        return handleForm(formData, changePasswordSchema, (input) =>
          changePassword(context.db, { ...input, userId: user.id, sessionId: session.id, ip: context.clientIp }),
        );
    }
  }
}

export default function AccountPage() {
  const { name, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const intent = intentOf(result);
  const [nameForm, nameFields] = useForm({
    id: "name",
    lastResult: intent === "name" ? result : undefined,
    defaultValue: { name },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: nameSchema }),
  });
  const [form, fields] = useForm({
    id: "password",
    lastResult: intent === "password" ? result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  const done = result && "done" in result ? result.done : null;
  return (
    <>
      <PageHeader title="Account" description={`Signed in as ${email}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Your name">
          <Form method="post" {...getFormProps(nameForm)} className="space-y-5">
            {done === "name" ? <Alert tone="success">Name saved.</Alert> : null}
            <input type="hidden" name="intent" value="name" />
            <TextField field={nameFields.name} label="Name" autoComplete="name" />
            <Button disabled={busy}>Save</Button>
          </Form>
        </Card>
        <Card title="Change password" description="Every other device signed in to your account is logged out.">
          <Form method="post" {...getFormProps(form)} className="space-y-5">
            {done === "password" ? <Alert tone="success">Password changed. Your other sessions were ended.</Alert> : null}
            <FormErrors errors={form.errors} />
            <input type="hidden" name="intent" value="password" />
            <TextField field={fields.currentPassword} label="Current password" type="password" autoComplete="current-password" />
            <TextField
              field={fields.newPassword}
              label="New password"
              type="password"
              autoComplete="new-password"
              hint="At least 10 characters."
            />
            <Button disabled={busy}>Change password</Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
