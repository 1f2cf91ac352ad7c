import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import type { emailDelivery, JobData } from "#db/jobs/queues";
import { eachJob, errorMessage, type Job, type JobHandler } from "#db/jobs/runner";
import { emailOutbox } from "#db/schema";
import type { EmailTransport } from "./transports";

type EmailJob = JobData<typeof emailDelivery>;

/** The `email-delivery` handler: each email on its own, so one refused address never holds back the rest. */
export function deliverEmails(db: Database, transport: EmailTransport): JobHandler<EmailJob> {
  return (jobs) => eachJob(jobs, (job) => deliverEmail(db, transport, job));
}

/** Sends one email and records the attempt on its row; a failure is thrown so the job retries. */
async function deliverEmail(db: Database, transport: EmailTransport, job: Job<EmailJob>) {
  const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, job.data.emailId));
  if (!email) throw new Error(`Email ${job.data.emailId} does not exist.`);
  if (email.status === "sent") return;
  const attempts = sql`${emailOutbox.attempts} + 1`;
  try {
    const providerMessageId = await transport.send({
      id: email.id,
      to: email.toAddress,
      subject: email.subject,
      html: email.html,
      text: email.text,
    });
    await db
      .update(emailOutbox)
      .set({ status: "sent", sentAt: new Date(), transport: transport.name, providerMessageId, attempts, lastError: null })
      .where(eq(emailOutbox.id, email.id));
  } catch (error) {
    const lastAttempt = job.retryCount >= job.retryLimit;
    await db
      .update(emailOutbox)
      .set({ status: lastAttempt ? "failed" : "pending", transport: transport.name, attempts, lastError: errorMessage(error) })
      .where(eq(emailOutbox.id, email.id));
    throw error;
  }
}
