import { and, desc, eq, gte, ilike, lt, lte, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { auditLog } from "#db/schema";
import type { StaffActor } from "../auth/staff.server";

/** A person (by user id), an API key (no user row: id null, its label as email), or nobody. */
export type Actor = { id: string | null; email: string } | null;

type AuditEntry = {
  action: string;
  targetType: string;
  targetId: string;
  organizationId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Call inside the transaction that makes the change, so the log and the change commit together. */
export async function writeAudit(db: Database, actor: Actor, entry: AuditEntry) {
  await db.insert(auditLog).values({
    actorUserId: actor?.id ?? null,
    actorEmail: actor?.email ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    organizationId: entry.organizationId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

type AuditFilter = {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this id: keyset pagination, newest first. */
  before?: number;
};

const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: Database, _staff: StaffActor, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actor) where.push(ilike(auditLog.actorEmail, `%${escapeLike(filter.actor)}%`));
  if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from) where.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) where.push(lte(auditLog.createdAt, filter.to));
  if (filter.before) where.push(lt(auditLog.id, filter.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), nextBefore: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.id : null };
}

export async function listAuditActions(db: Database, _staff: StaffActor): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
