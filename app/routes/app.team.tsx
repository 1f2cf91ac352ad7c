import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { changeRoleSchema, inviteSchema, MEMBER_ROLES } from "~/modules/orgs/schemas";
import { changeMemberRole, inviteMember, listTeam, removeMember, revokeInvitation } from "~/modules/orgs/team.server";
import { hasRole } from "~/modules/orgs/tenant.server";
import { MEMBER_ROLE_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Team · Switchboard" }];

const roleOptions = MEMBER_ROLES.map((r) => ({ value: r, label: MEMBER_ROLE_LABELS[r] }));
const idSchema = z.object({ id: z.uuid("Unknown item") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const team = await listTeam(context.db, tenant);
  return { ...team, me: tenant.user.id, canManage: hasRole(tenant, "admin"), isOwner: tenant.role === "owner" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["invite", "change-role", "remove", "revoke"]);
  const result = await run();
  if (!result.ok) return result.response;
  return { ...result.reply, done: intent };

  function run() {
    switch (intent) {
      case "invite":
        return handleForm(formData, inviteSchema, (input) => inviteMember(context.db, tenant, input, { appUrl: context.config.APP_URL }));
      case "change-role":
        return handleForm(formData, changeRoleSchema, (input) => changeMemberRole(context.db, tenant, input));
      case "remove":
        return handleForm(formData, idSchema, ({ id }) => removeMember(context.db, tenant, id));
      case "revoke":
        return handleForm(formData, idSchema, ({ id }) => revokeInvitation(context.db, tenant, id));
    }
  }
}

const doneMessages: Record<string, string> = {
  invite: "Invitation sent.",
  "change-role": "Role updated.",
  remove: "Member removed.",
  revoke: "Invitation revoked.",
};

export default function TeamPage() {
  const { members, invitations, me, canManage, isOwner } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "invite",
    lastResult: intentOf(result) === "invite" ? result : undefined,
    defaultValue: { role: "member" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  });
  const otherError = intentOf(result) !== "invite" && result?.error ? Object.values(result.error).flat() : [];
  const done = result && "done" in result && typeof result.done === "string" ? doneMessages[result.done] : null;
  return (
    <>
      <PageHeader title="Team" description="Everyone who works in this organization, and the invitations still open." />
      <div className="space-y-6">
        {done ? <Alert tone="success">{done}</Alert> : null}
        {otherError.length ? <Alert tone="error">{otherError.join(" ")}</Alert> : null}
        <Card title="Members">
          <Table columns={["Name", "Email", "Role", "Joined", ""]}>
            {members.map((m) => (
              <tr key={m.id}>
                <td className="py-3">{m.name}</td>
                <td className="py-3 text-zinc-600">{m.email}</td>
                <td className="py-3">
                  {canManage && (isOwner || m.role !== "owner") ? (
                    <Form method="post" className="flex items-center gap-2">
                      <input type="hidden" name="intent" value="change-role" />
                      <input type="hidden" name="membershipId" value={m.id} />
                      <select
                        name="role"
                        defaultValue={m.role}
                        aria-label={`Role of ${m.email}`}
                        className="rounded-md border-0 py-1 pl-2 pr-7 text-sm ring-1 ring-zinc-300"
                      >
                        {roleOptions
                          .filter((o) => isOwner || o.value !== "owner")
                          .map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                      </select>
                      <Button variant="secondary" className="py-1">
                        Save
                      </Button>
                    </Form>
                  ) : (
                    <span>{MEMBER_ROLE_LABELS[m.role]}</span>
                  )}
                </td>
                <td className="py-3 text-zinc-600">{formatDate(m.joinedAt)}</td>
                <td className="py-3 text-right">
                  {m.userId === me || (canManage && (isOwner || m.role !== "owner")) ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="id" value={m.id} />
                      <Button variant="ghost" className="text-red-600">
                        {m.userId === me ? "Leave" : "Remove"}
                      </Button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        </Card>
        {canManage ? (
          <Card title="Invite someone" description="They get an email with a link that is valid for 7 days.">
            <Form method="post" {...getFormProps(form)} className="grid items-start gap-4 sm:grid-cols-4">
              <input type="hidden" name="intent" value="invite" />
              <div className="sm:col-span-2">
                <TextField field={fields.email} label="Email" type="email" />
              </div>
              <SelectField field={fields.role} label="Role" options={roleOptions.filter((o) => isOwner || o.value !== "owner")} />
              <div className="pt-7">
                <Button disabled={busy}>Send invitation</Button>
              </div>
              <div className="sm:col-span-4">
                <FormErrors errors={form.errors} />
              </div>
            </Form>
          </Card>
        ) : null}
        {invitations.length ? (
          <Card title="Open invitations">
            <ul className="divide-y divide-zinc-100 text-sm">
              {invitations.map((inv) => (
                <li key={inv.id} className="flex items-center justify-between py-3">
                  <span>
                    {inv.email}{" "}
                    <span className="text-zinc-500">
                      · {MEMBER_ROLE_LABELS[inv.role]} · expires {formatDate(inv.expiresAt)}
                    </span>
                  </span>
                  {canManage ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={inv.id} />
                      <Button variant="ghost" className="text-red-600">
                        Revoke
                      </Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
