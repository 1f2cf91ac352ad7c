import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { FieldErrors, FormErrors, TextField } from "~/components/form";
import { Button } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireUser } from "~/lib/guards.server";
import { createOrganization } from "~/modules/orgs/organizations.server";
import { createOrganizationSchema } from "~/modules/orgs/schemas";

export const meta: MetaFunction = () => [{ title: "Set up your organization · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireUser(request, context);
  const result = await handleForm(await request.formData(), createOrganizationSchema, (input) =>
    createOrganization(context.db, { user: auth.user, sessionId: auth.session.id }, input),
  );
  if (!result.ok) return result.response;
  return redirect(auth.user.emailVerifiedAt ? "/app/profile" : "/verify-email");
}

const kinds = [
  { value: "merchant", title: "Merchant", text: "I sell products or services and want publishers to promote my offers." },
  { value: "publisher", title: "Publisher", text: "I run sites, channels or newsletters and want offers to promote." },
];

export default function Onboarding() {
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createOrganizationSchema }),
  });
  return (
    <AuthLayout title="Set up your organization" subtitle="The network team reviews every new organization before it goes live.">
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend className="text-sm font-medium text-zinc-800">I am a…</legend>
          <div className="mt-2 grid gap-3">
            {kinds.map((k) => (
              <label
                key={k.value}
                className="flex cursor-pointer gap-3 rounded-lg p-3 ring-1 ring-zinc-300 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600"
              >
                <input
                  type="radio"
                  name={fields.kind.name}
                  value={k.value}
                  defaultChecked={fields.kind.initialValue === k.value}
                  className="mt-1"
                />
                <span>
                  <span className="block text-sm font-semibold">{k.title}</span>
                  <span className="block text-sm text-zinc-600">{k.text}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id={fields.kind.errorId} errors={fields.kind.errors} />
        </fieldset>
        <TextField field={fields.name} label="Organization name" autoComplete="organization" />
        <Button className="w-full" disabled={busy}>
          Create organization
        </Button>
      </Form>
    </AuthLayout>
  );
}
