import type { LoaderFunctionArgs } from "@remix-run/node";
import { orErrorResponse } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { getMailboxMessage, mailboxId } from "~/modules/moderation/mailbox.server";

/**
 * The email's HTML as sent, for the mailbox iframe. The CSP sandbox stops any script in it (a click on
 * a link may still open it), and only this site may frame it.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  const id = mailboxId.safeParse(params.id);
  if (!id.success) throw new Response("Email not found", { status: 404 });
  const message = await orErrorResponse(() => getMailboxMessage(context.db, staff, id.data));
  return new Response(message.html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      "x-frame-options": "SAMEORIGIN",
      "cache-control": "private, no-store",
    },
  });
}
