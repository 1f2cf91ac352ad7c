import type { Database } from "#db/client";
import { emailOutbox } from "#db/schema";
import { renderEmail, type EmailProps, type EmailTemplate } from "./catalog";

/**
 * Queues an email in the caller's transaction: it is sent only if that transaction commits, and the
 * worker retries it until it is delivered or gives up visibly.
 */
export async function enqueueEmail<T extends EmailTemplate>(db: Database, to: string, template: T, props: EmailProps<T>) {
  const rendered = await renderEmail(template, props);
  await db.insert(emailOutbox).values({ toAddress: to, template, ...rendered });
}
