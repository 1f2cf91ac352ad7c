import { and, desc, eq, ilike, lt, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { emailOutbox } from "#db/schema";
import { z } from "zod";
import { escapeLike } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";

const MAILBOX_PAGE_SIZE = 50;

export const mailboxId = z.coerce.number().int().positive();

/** Every email the network sends, newest first: the local mailbox plus whatever is still being delivered or failed. */
export async function listMailbox(db: Database, _staff: StaffActor, filter: { to?: string; before?: number }) {
  const where: SQL[] = [];
  if (filter.to) where.push(ilike(emailOutbox.toAddress, `%${escapeLike(filter.to)}%`));
  if (filter.before) where.push(lt(emailOutbox.id, filter.before));
  const rows = await db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      status: emailOutbox.status,
      transport: emailOutbox.transport,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .where(and(...where))
    .orderBy(desc(emailOutbox.id))
    .limit(MAILBOX_PAGE_SIZE + 1);
  return { rows: rows.slice(0, MAILBOX_PAGE_SIZE), nextBefore: rows.length > MAILBOX_PAGE_SIZE ? rows[MAILBOX_PAGE_SIZE - 1]!.id : null };
}

export async function getMailboxMessage(db: Database, _staff: StaffActor, id: number) {
  const [message] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!message) throw notFound("Email not found");
  return message;
}
