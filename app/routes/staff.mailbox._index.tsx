import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Badge, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { requireStaff } from "~/lib/guards.server";
import { listMailbox } from "~/modules/moderation/mailbox.server";
import { EMAIL_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Mailbox · Switchboard staff" }];

const filterSchema = z.object({
  to: z.string().trim().max(254).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return {
    ...(await listMailbox(context.db, staff, { ...filter, to: filter.to || undefined })),
    filter,
    transport: context.config.RESEND_API_KEY ? "Resend" : "the local mailbox",
  };
}

export default function Mailbox() {
  const { rows, nextBefore, filter, transport } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Mailbox" description={`Every email the network sends, newest first. Delivery goes through ${transport}.`} />
      <Card>
        <Form method="get" className="mb-4 flex gap-3">
          <input
            name="to"
            defaultValue={filter.to}
            placeholder="Recipient"
            aria-label="Recipient"
            className="rounded-md border-0 px-3 py-2 text-sm ring-1 ring-zinc-300"
          />
          <Button variant="secondary">Filter</Button>
        </Form>
        {rows.length ? (
          <Table columns={["To", "Subject", "Status", "Queued"]}>
            {rows.map((m) => (
              <tr key={m.id}>
                <td className="py-2">{m.toAddress}</td>
                <td className="py-2">
                  <Link to={`/staff/mailbox/${m.id}`} className="font-medium text-indigo-600 hover:underline">
                    {m.subject}
                  </Link>
                </td>
                <td className="py-2">
                  <Badge tone={m.status} label={EMAIL_STATUS_LABELS[m.status]} />
                  {m.lastError ? <span className="ml-2 text-xs text-red-600">{m.lastError}</span> : null}
                </td>
                <td className="py-2 text-zinc-600">{formatDate(m.createdAt)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="py-6 text-center text-sm text-zinc-500">No email yet.</p>
        )}
        {nextBefore ? (
          <Link
            to={`?${new URLSearchParams({ ...(filter.to ? { to: filter.to } : {}), before: String(nextBefore) })}`}
            className="mt-4 inline-block text-sm font-semibold text-indigo-600"
          >
            Older email →
          </Link>
        ) : null}
      </Card>
    </>
  );
}
