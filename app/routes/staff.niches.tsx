import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { FieldErrors, FormErrors, TextField } from "~/components/form";
import { intentOf } from "~/lib/forms";
import { Alert, Button, Card, PageHeader, Table } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { addNiche, listNichesWithUsage, removeNiche, renameNiche } from "~/modules/moderation/niches.server";

export const meta: MetaFunction = () => [{ title: "Niches · Switchboard staff" }];

const nameField = z.string({ error: "Enter a name" }).trim().min(2, "Use at least 2 characters").max(60, "Use at most 60 characters");
const slugField = z
  .string({ error: "Enter a slug" })
  .max(60, "Use at most 60 characters")
  .trim()
  .toLowerCase()
  .max(60, "Use at most 60 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and dashes, like pet-supplies");

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), slug: slugField, name: nameField }),
  z.object({ intent: z.literal("rename"), slug: slugField, name: nameField }),
  z.object({ intent: z.literal("remove"), slug: slugField }),
]);

export async function loader({ context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return { niches: await listNichesWithUsage(context.db, staff) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), actionSchema, (input) => {
    switch (input.intent) {
      case "add":
        return addNiche(context.db, staff, { slug: input.slug, name: input.name });
      case "rename":
        return renameNiche(context.db, staff, { slug: input.slug, name: input.name });
      case "remove":
        return removeNiche(context.db, staff, input.slug);
    }
  });
  return result.ok ? { ...result.reply, done: true } : result.response;
}

export default function Niches() {
  const { niches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Add and rename show their errors under their fields.
  const errors = intentOf(result) === "remove" && result?.error ? Object.values(result.error).flat() : [];
  return (
    <>
      <PageHeader
        title="Niches"
        description="The taxonomy publishers and offers choose from. Renaming re-indexes the offers that use a niche."
      />
      <div className="space-y-6">
        {result && "done" in result ? <Alert tone="success">Saved.</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        <Card title="Add a niche">
          <AddNicheForm result={intentOf(result) === "add" ? result : undefined} />
        </Card>
        <Card>
          <Table columns={["Name", "Slug", "Offers", "Publishers", ""]}>
            {niches.map((n) => (
              <tr key={n.slug}>
                <td className="py-2">
                  <RenameForm slug={n.slug} name={n.name} result={result} />
                </td>
                <td className="py-2 text-zinc-600">{n.slug}</td>
                <td className="py-2">{n.offers}</td>
                <td className="py-2">{n.publishers}</td>
                <td className="py-2 text-right">
                  {n.offers + n.publishers === 0 ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="slug" value={n.slug} />
                      <Button variant="ghost" className="text-red-600">
                        Remove
                      </Button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}

type Result = (SubmissionResult<string[]> & { done?: unknown }) | undefined;

function AddNicheForm({ result }: { result: Result }) {
  const [form, fields] = useForm<{ slug: string; name: string }>({ id: "add-niche", lastResult: result });
  return (
    <Form method="post" {...getFormProps(form)} className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_auto]">
      <input type="hidden" name="intent" value="add" />
      <div className="sm:col-span-3">
        <FormErrors errors={form.errors} />
      </div>
      <TextField field={fields.slug} label="Slug" placeholder="pet-supplies" />
      <TextField field={fields.name} label="Name" placeholder="Pet supplies" />
      <Button className="sm:mt-7">Add niche</Button>
    </Form>
  );
}

function RenameForm({ slug, name, result }: { slug: string; name: string; result: Result }) {
  const sent = intentOf(result) === "rename" && result?.initialValue?.slug === slug;
  const [form, fields] = useForm<{ name: string }>({ id: `rename-${slug}`, lastResult: sent ? result : undefined, defaultValue: { name } });
  return (
    <Form method="post" {...getFormProps(form)} className="flex items-start gap-2">
      <input type="hidden" name="intent" value="rename" />
      <input type="hidden" name="slug" value={slug} />
      <div className="min-w-40">
        <input
          {...getInputProps(fields.name, { type: "text" })}
          key={fields.name.key}
          aria-label={`Name of ${slug}`}
          className="block w-full rounded-md px-2 py-1 text-sm ring-1 ring-zinc-300"
        />
        <FieldErrors id={fields.name.errorId} errors={[...(fields.name.errors ?? []), ...(form.errors ?? [])]} />
      </div>
      <Button variant="ghost">Rename</Button>
    </Form>
  );
}
