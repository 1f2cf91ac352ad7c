import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { emailOutbox } from "#db/schema";
import type { EmailTransport } from "./transports";

export const MAX_EMAIL_ATTEMPTS = 8;
const LEASE_MS = 60_000;

/** 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/**
 * Claims due emails (skipping rows another worker holds), sends each through the transport and
 * records the outcome. Returns how many were sent and how many failed this round.
 */
export async function deliverDueEmails(db: Database, transport: EmailTransport, batchSize = 20) {
  const now = new Date();
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      or(
        and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)),
        and(eq(emailOutbox.status, "sending"), lte(emailOutbox.lockedUntil, now)),
      ),
    )
    .orderBy(emailOutbox.id)
    .limit(batchSize)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(emailOutbox)
    .set({ status: "sending", lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${emailOutbox.attempts} + 1` })
    .where(inArray(emailOutbox.id, due))
    .returning();

  let sent = 0;
  let failed = 0;
  for (const email of claimed) {
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
        .set({ status: "sent", sentAt: new Date(), transport: transport.name, providerMessageId, lockedUntil: null, lastError: null })
        .where(eq(emailOutbox.id, email.id));
      sent++;
    } catch (error) {
      const giveUp = email.attempts >= MAX_EMAIL_ATTEMPTS;
      await db
        .update(emailOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          lastError: error instanceof Error ? error.message : String(error),
          nextAttemptAt: new Date(Date.now() + retryDelayMs(email.attempts)),
          lockedUntil: null,
          transport: transport.name,
        })
        .where(eq(emailOutbox.id, email.id));
      failed++;
    }
  }
  return { sent, failed };
}
