import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversionEvents, conversions } from "#db/schema";
import type { RejectionReason } from "~/lib/labels";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";
import { selectListedConversions, type ListedConversion } from "./conversion-data.server";
import { conversionHistoryView, conversionListView, conversionView } from "./conversions.server";
import { conversionCursorText } from "./schemas";
import { changeConversions, type ConversionChange } from "./lifecycle.server";

const FRAUD_QUEUE_PAGE_SIZE = 50;
/** How far back the detail page counts the publisher's conversions. */
const PUBLISHER_HISTORY_DAYS = 90;

const onHold = and(eq(conversions.status, "pending"), eq(conversions.hold, "held"));

function heldView(row: ListedConversion) {
  return { ...conversionListView(row, "staff"), hold: row.conversion.hold, signals: row.conversion.fraudSignals };
}

/**
 * The fraud queue: pending conversions on hold, oldest first (they have waited longest), a page at a
 * time after the cursor, with their signals; and how many there are in all.
 */
export async function listHeldConversions(db: Database, _staff: StaffActor, after: { at: string; id: string } | null) {
  const [rows, [count]] = await Promise.all([
    selectListedConversions(db)
      .where(
        and(onHold, after ? sql`(${conversions.createdAt}, ${conversions.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined),
      )
      .orderBy(asc(conversions.createdAt), asc(conversions.id))
      .limit(FRAUD_QUEUE_PAGE_SIZE + 1),
    db
      .select({ held: sql<number>`count(*)::int` })
      .from(conversions)
      .where(onHold),
  ]);
  const page = rows.slice(0, FRAUD_QUEUE_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map(heldView),
    held: count?.held ?? 0,
    next: rows.length > FRAUD_QUEUE_PAGE_SIZE && last ? conversionCursorText({ at: last.cursorAt, id: last.conversion.id }) : null,
  };
}

/**
 * The publisher's real conversions (test ones left out) of the last 90 days by status, and how many
 * of them were ever held: the hold rate staff weigh a new hold against.
 */
async function publisherHistory(db: Database, publisherId: string) {
  const rows = await selectRows<{ status: string; conversions: number; held: number }>(
    db,
    sql`select status, count(*)::int as conversions, count(*) filter (where hold <> 'none')::int as held
      from conversions
      where publisher_id = ${publisherId} and not is_test
        and created_at >= now() - make_interval(days => ${PUBLISHER_HISTORY_DAYS})
      group by status`,
  );
  const total = rows.reduce((sum, r) => sum + r.conversions, 0);
  const held = rows.reduce((sum, r) => sum + r.held, 0);
  return {
    days: PUBLISHER_HISTORY_DAYS,
    byStatus: Object.fromEntries(rows.map((r) => [r.status, r.conversions])) as Record<string, number>,
    total,
    held,
    /** Basis points, so the page formats it like every other rate; null without conversions. */
    holdRateBps: total ? Math.round((held * 10_000) / total) : null,
  };
}

/**
 * What staff weigh before deciding: the conversion with its signals and evidence, its click and
 * its amounts, every change it went through, and its publisher's recent history.
 */
export async function getFraudReview(db: Database, _staff: StaffActor, conversionId: string) {
  const [row] = await selectListedConversions(db).where(eq(conversions.id, conversionId));
  if (!row) throw notFound("Conversion not found");
  const c = row.conversion;
  const [events, history] = await Promise.all([
    db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, conversionId)).orderBy(asc(conversionEvents.id)),
    publisherHistory(db, c.publisherId),
  ]);
  return {
    conversion: {
      ...conversionView(row, "staff"),
      screenedAt: c.screenedAt,
      customerCountry: c.customerCountry,
      secondsToConvert: c.clickedAt ? Math.max(0, Math.floor((c.createdAt.getTime() - c.clickedAt.getTime()) / 1000)) : null,
    },
    events: conversionHistoryView(events, "staff"),
    history,
  };
}

const decisionState = (row: { status: string; hold: string; reason: string | null; note: string | null }) => ({
  status: row.status,
  hold: row.hold,
  reason: row.reason,
  note: row.note,
});

/**
 * A staff decision on one conversion through the lifecycle, with its audit row, in one transaction:
 * the state before is read under the lifecycle's own row lock, so the audit's before and after are
 * exactly what this decision changed.
 */
async function decide(db: Database, staff: StaffActor, conversionId: string, change: ConversionChange, action: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        status: conversions.status,
        hold: conversions.hold,
        reason: conversions.reason,
        note: conversions.note,
        publisherId: conversions.publisherId,
      })
      .from(conversions)
      .where(eq(conversions.id, conversionId))
      .for("update");
    if (!before) throw notFound("Conversion not found");
    const [outcome] = await changeConversions(
      tx,
      sql`true`,
      { kind: "staff", userId: staff.id, label: staff.email },
      [conversionId],
      change,
    );
    if (outcome?.result === "refused") throw new DomainError("refused", outcome.message, undefined, 409);
    if (outcome?.result !== "changed") {
      throw new DomainError("unchanged", "Nothing to do: this conversion is already where that decision would put it.", undefined, 409);
    }
    const [after] = await tx
      .select({ status: conversions.status, hold: conversions.hold, reason: conversions.reason, note: conversions.note })
      .from(conversions)
      .where(eq(conversions.id, conversionId));
    await writeAudit(tx, staff, {
      action,
      targetType: "conversion",
      targetId: conversionId,
      organizationId: before.publisherId,
      before: decisionState(before),
      after: decisionState(after!),
    });
    return outcome;
  });
}

/**
 * Staff find the held conversion genuine: it stays pending, off hold, and is approved automatically
 * when its validation period ends (or by the merchant before). Both sides are told.
 */
export function clearHeldConversion(db: Database, staff: StaffActor, conversionId: string, note: string) {
  return decide(db, staff, conversionId, { action: "clear", note }, "conversion.fraud_cleared");
}

/** Staff reject a pending conversion with a reason code and a note both sides read; it never earns. */
export function rejectForFraudReview(db: Database, staff: StaffActor, conversionId: string, reason: RejectionReason, note: string | null) {
  return decide(db, staff, conversionId, { action: "reject", reason, note }, "conversion.fraud_rejected");
}
