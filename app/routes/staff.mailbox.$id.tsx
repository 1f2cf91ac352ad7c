import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Card, DescriptionList, PageHeader, formatDate } from "~/components/ui";
import { orErrorResponse } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { getMailboxMessage, mailboxId } from "~/modules/moderation/mailbox.server";
import { EMAIL_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject ?? "Email"} · Switchboard staff` }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const id = mailboxId.safeParse(params.id);
  if (!id.success) throw new Response("Email not found", { status: 404 });
  const { html: _html, ...message } = await orErrorResponse(() => getMailboxMessage(context.db, staff, id.data));
  return message;
}

export default function MailboxMessage() {
  const m = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={m.subject}
        description={`To ${m.toAddress}`}
        actions={
          <Link to="/staff/mailbox" className="text-sm font-semibold text-indigo-600">
            ← Mailbox
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <iframe
            title="Email content"
            src={`/staff/mailbox/${m.id}/html`}
            sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
            className="h-[640px] w-full rounded-md ring-1 ring-zinc-200"
          />
        </Card>
        <Card title="Delivery">
          <DescriptionList
            items={[
              ["Status", <Badge key="s" tone={m.status} label={EMAIL_STATUS_LABELS[m.status]} />],
              ["Template", m.template],
              ["Transport", m.transport ?? "—"],
              ["Attempts", m.attempts],
              ["Queued", formatDate(m.createdAt)],
              ["Sent", m.sentAt ? formatDate(m.sentAt) : "—"],
              ["Last error", m.lastError ?? "—"],
            ]}
          />
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium">Plain-text version</summary>
            <pre className="mt-2 whitespace-pre-wrap text-xs text-zinc-700">{m.text}</pre>
          </details>
        </Card>
      </div>
    </>
  );
}
