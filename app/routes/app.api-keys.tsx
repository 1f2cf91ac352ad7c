import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/modules/api/keys.server";
import { createApiKeySchema } from "~/modules/api/schemas";

export const meta: MetaFunction = () => [{ title: "API keys · Switchboard" }];

const idSchema = z.object({ id: z.uuid("Unknown key") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const keys = await orErrorResponse(() => listApiKeys(context.db, tenant));
  return { keys };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["create", "revoke"]);
  if (intent === "create") {
    const result = await handleForm(formData, createApiKeySchema, (input) => createApiKey(context.db, tenant, input));
    if (!result.ok) return result.response;
    return { ...result.reply, created: { name: result.value.name, key: result.value.key } };
  }
  const result = await handleForm(formData, idSchema, ({ id }) => revokeApiKey(context.db, tenant, id));
  if (!result.ok) return result.response;
  return { ...result.reply, revoked: true };
}

export default function ApiKeysPage() {
  const { keys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "create",
    lastResult: intentOf(result) === "create" ? result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createApiKeySchema }),
  });
  const created = result && "created" in result ? result.created : null;
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your own systems use the REST API as this organization. Anyone with a key can act as an admin here: keep keys secret."
      />
      <div className="space-y-6">
        {created ? (
          <Alert tone="success">
            <p>Key “{created.name}” created. Copy it now: it is shown only this once.</p>
            <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-sm">{created.key}</code>
          </Alert>
        ) : null}
        {result && "revoked" in result ? <Alert tone="success">Key revoked: it no longer works.</Alert> : null}
        <Card title="New key">
          <Form method="post" {...getFormProps(form)} className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <input type="hidden" name="intent" value="create" />
            <div className="flex-1">
              <TextField label="Name" field={fields.name} placeholder="e.g. Shop backend" />
            </div>
            <Button type="submit" disabled={busy}>
              Create key
            </Button>
          </Form>
          <FormErrors errors={form.errors} />
        </Card>
        <Card title="Keys">
          {keys.length === 0 ? (
            <p className="text-sm text-zinc-600">No keys yet.</p>
          ) : (
            <Table columns={["Name", "Key", "Created by", "Created", "Last used", ""]}>
              {keys.map((k) => (
                <tr key={k.id} className={k.revokedAt ? "text-zinc-400" : undefined}>
                  <td className="py-3">{k.name}</td>
                  <td className="py-3 font-mono text-sm">{k.prefix}…</td>
                  <td className="py-3">{k.createdByName ?? "—"}</td>
                  <td className="py-3">{formatDate(k.createdAt)}</td>
                  <td className="py-3">{k.lastUsedAt ? formatDate(k.lastUsedAt) : "Never"}</td>
                  <td className="py-3 text-right">
                    {k.revokedAt ? (
                      `Revoked ${formatDate(k.revokedAt)}`
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={k.id} />
                        <Button type="submit" variant="danger" disabled={busy}>
                          Revoke
                        </Button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <p className="text-sm text-zinc-600">
          How to call the API: the{" "}
          <Link to="/docs/api" className="text-indigo-600 underline">
            API reference
          </Link>
          .
        </p>
      </div>
    </>
  );
}
