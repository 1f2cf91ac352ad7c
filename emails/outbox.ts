import type { Database } from "#db/client";
import { enqueueJob } from "#db/jobs/enqueue";
import { emailDelivery } from "#db/jobs/queues";
import { emailOutbox } from "#db/schema";
import { renderEmail, type EmailProps, type EmailTemplate } from "./catalog";

/**
 * Records an email and queues its delivery job in the caller's transaction: it is sent only if that
 * transaction commits, and the job retries it until it is delivered or fails visibly.
 */
export async function enqueueEmail<T extends EmailTemplate>(db: Database, to: string, template: T, props: EmailProps<T>) {
  const rendered = await renderEmail(template, props);
  const [email] = await db
    .insert(emailOutbox)
    .values({ toAddress: to, template, ...rendered })
    .returning({ id: emailOutbox.id });
  await enqueueJob(db, emailDelivery, { emailId: email!.id });
}
