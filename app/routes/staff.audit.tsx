import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { Pager } from "~/components/pager";
import { listAudit, listAuditActions } from "~/modules/audit/audit.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Switchboard staff" }];

const day = z.iso.date().optional().catch(undefined);
const filterSchema = z.object({
  action: z.string().max(100).optional().catch(undefined),
  actor: z.string().trim().max(254).optional().catch(undefined),
  targetType: z.string().max(50).optional().catch(undefined),
  targetId: z.string().trim().max(100).optional().catch(undefined),
  from: day,
  to: day,
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filter = filterSchema.parse(params);
  const [page, actions] = await Promise.all([
    listAudit(context.db, staff, {
      ...filter,
      from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
      to: filter.to ? new Date(`${filter.to}T23:59:59.999Z`) : undefined,
    }),
    listAuditActions(context.db, staff),
  ]);
  return { ...page, actions, filter };
}

const input = "rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300";

export default function AuditLog() {
  const { rows, nextBefore, actions, filter } = useLoaderData<typeof loader>();
  const next = new URLSearchParams(
    Object.entries({ ...filter, before: nextBefore })
      .filter(([, v]) => v != null && v !== "")
      .map(([k, v]) => [k, String(v)]),
  );
  return (
    <>
      <PageHeader title="Audit log" description="Every staff action and every change to money, membership and status, newest first." />
      <Card>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <select name="action" defaultValue={filter.action ?? ""} aria-label="Action" className={input}>
            <option value="">Any action</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <input name="actor" defaultValue={filter.actor} placeholder="Actor email" aria-label="Actor" className={input} />
          <input name="targetType" defaultValue={filter.targetType} placeholder="Target type" aria-label="Target type" className={input} />
          <input name="targetId" defaultValue={filter.targetId} placeholder="Target id" aria-label="Target id" className={input} />
          <label className="text-xs text-zinc-600">
            From
            <input type="date" name="from" defaultValue={filter.from} className={`block ${input}`} />
          </label>
          <label className="text-xs text-zinc-600">
            To
            <input type="date" name="to" defaultValue={filter.to} className={`block ${input}`} />
          </label>
          <Button variant="secondary">Filter</Button>
        </Form>
        {rows.length ? (
          <Table columns={["When", "Who", "Action", "Target", "Before → after"]}>
            {rows.map((r) => (
              <tr key={r.id} className="align-top">
                <td className="py-2 whitespace-nowrap text-zinc-600">{formatDate(r.createdAt)}</td>
                <td className="py-2">{r.actorEmail ?? "system"}</td>
                <td className="py-2 font-medium">{r.action}</td>
                <td className="py-2 text-zinc-600">
                  {r.targetType === "organization" ? (
                    <Link to={`/staff/organizations/${r.targetId}`} className="text-indigo-600 hover:underline">
                      organization
                    </Link>
                  ) : (
                    r.targetType
                  )}{" "}
                  <code className="text-xs">{r.targetId.slice(0, 8)}</code>
                </td>
                <td className="py-2 font-mono text-xs text-zinc-600">
                  {r.before ? JSON.stringify(r.before) : "—"} → {r.after ? JSON.stringify(r.after) : "—"}
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="py-6 text-center text-sm text-zinc-500">No entries match.</p>
        )}
        <Pager next={nextBefore ? `?${next}` : null} nextLabel="Older entries" />
      </Card>
    </>
  );
}
