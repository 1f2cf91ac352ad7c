import { sql, type SQL } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import type { FraudSignal } from "#db/schema";
import type { RejectionReason } from "~/lib/labels";
import { amountFromSum } from "~/lib/money";
import { paidToPublisher } from "../payouts/items.server";
import { queuePostbackDeliveries } from "../publisher-postbacks/deliveries.server";
import { bookConversionApprovals, bookConversionReversals } from "../ledger/postings.server";
import { removeStoppedConversions } from "../reports/rollups.server";

type Status = "pending" | "approved" | "rejected" | "reversed";
type Hold = "none" | "held" | "cleared";

/**
 * Who changes a conversion: a person of either side or staff (by user), a side's API key (no user:
 * its label names the key), a scheduled job, or the merchant's postback.
 */
export type ConversionActor =
  { kind: "merchant" | "publisher" | "staff"; userId: string | null; label: string } | { kind: "job" | "postback"; label: string };

/** What may be asked of a conversion; whether it is legal depends on its state (see `transition`). */
export type ConversionChange =
  | { action: "approve" }
  | { action: "reject"; reason: RejectionReason; note: string | null }
  /** A refund: a pending conversion is rejected as returned, an approved one reversed. */
  | { action: "refund"; note: string | null }
  | { action: "reverse"; reason: RejectionReason; note: string | null }
  | { action: "hold"; signals: FraudSignal[] }
  | { action: "clear"; note: string | null };

export type ChangeOutcome =
  | { id: string; result: "changed"; from: Status; to: Status; hold: Hold }
  /** Already where the change would put it (approving an approved conversion): nothing is booked twice. */
  | { id: string; result: "unchanged"; status: Status }
  | { id: string; result: "refused"; status: Status; message: string }
  | { id: string; result: "not_found" };

type Locked = {
  id: string;
  merchant_id: string;
  publisher_id: string;
  status: Status;
  hold: Hold;
  reason: string | null;
  currency: string;
  commission_minor: string;
  fee_minor: string;
  merchant_cost_minor: string;
  is_test: boolean;
  screened: boolean;
  paid: boolean;
};

type Next = { status: Status; hold: Hold; reason: string | null; note: string | null; signals?: FraudSignal[] };

const PAID_IS_FINAL =
  "It has been paid to the publisher, so it can no longer change. A refund reported by postback (status=reversed) is still taken back from the publisher's next payout.";

const aConversion = (status: Status) => `${status === "approved" ? "An" : "A"} ${status} conversion`;

/** The lifecycle's rules: the state a change leads to from this one, or why it may not. */
export function transition(
  current: { status: Status; hold: Hold; screened: boolean; paid: boolean },
  change: ConversionChange,
  actor: ConversionActor["kind"],
): Next | { refused: string } | "unchanged" {
  const { status, hold } = current;
  const keep = { hold, reason: null, note: null };
  switch (change.action) {
    case "approve":
      if (status === "approved") return "unchanged";
      if (status !== "pending") return { refused: `${aConversion(status)} cannot be approved.` };
      if (hold === "held" && actor !== "staff") return { refused: "It is on hold for fraud review; network staff decide first." };
      if (!current.screened && actor !== "staff") return { refused: "Fraud screening has not looked at it yet; try again in a minute." };
      return { ...keep, status: "approved" };
    case "reject":
      if (status === "rejected") return "unchanged";
      if (status !== "pending") return { refused: `${aConversion(status)} cannot be rejected; only a pending one can.` };
      return { status: "rejected", hold, reason: change.reason, note: change.note };
    case "refund":
      if (status === "pending") return { status: "rejected", hold, reason: "returned", note: change.note };
      if (status === "approved") return { status: "reversed", hold, reason: "returned", note: change.note };
      return "unchanged";
    case "reverse":
      if (status === "reversed") return "unchanged";
      if (status !== "approved") return { refused: `${aConversion(status)} cannot be reversed; only an approved one can.` };
      // Paid money is final; only a refund the merchant's postback reports is taken back (a clawback).
      if (current.paid) return { refused: PAID_IS_FINAL };
      return { status: "reversed", hold, reason: change.reason, note: change.note };
    case "hold":
      if (status !== "pending" || hold !== "none") return "unchanged";
      return { status, hold: "held", reason: null, note: null, signals: change.signals };
    case "clear":
      if (hold === "cleared") return "unchanged";
      if (hold !== "held" || status !== "pending") return { refused: "Only a pending conversion on hold can be cleared." };
      return { status, hold: "cleared", reason: null, note: change.note };
  }
}

/** Who hears of a change by email: the side that did not make it (both, when staff or a job did). */
function told(actor: ConversionActor["kind"], row: Locked): string[] {
  if (actor === "merchant" || actor === "postback") return [row.publisher_id];
  if (actor === "publisher") return [row.merchant_id];
  return [row.merchant_id, row.publisher_id];
}

/**
 * Applies a change to conversions (one for all, or one per conversion), in the caller's transaction: locks them (in id order, so
 * concurrent changes take turns and see each other's result), moves each that may move, writes one
 * event per move, books approvals and reversals in the ledger, and queues the notices. `scope` limits
 * which conversions the caller may touch; one outside it is not found, like one that does not exist.
 */
export async function changeConversions(
  tx: Database,
  scope: SQL,
  actor: ConversionActor,
  requested: string[],
  change: ConversionChange | ReadonlyMap<string, ConversionChange>,
): Promise<ChangeOutcome[]> {
  const changeFor = (id: string) => (change instanceof Map ? change.get(id)! : (change as ConversionChange));
  // One outcome per conversion, however often the caller named it: a repeat must not move it twice.
  const ids = [...new Set(requested)];
  if (ids.length === 0) return [];
  const locked = await selectRows<Locked>(
    tx,
    sql`select c.id, c.merchant_id, c.publisher_id, c.status, c.hold, c.reason, c.currency, c.commission_minor::text,
        c.fee_minor::text, c.merchant_cost_minor::text, c.is_test,
        c.screened_at is not null as screened, ${paidToPublisher(sql`c.id`)} as paid
      from conversions c
      where c.id = any(${sqlTextArray(ids)}::uuid[]) and ${scope}
      order by c.id
      for update of c`,
  );
  const byId = new Map(locked.map((row) => [row.id, row]));
  const moves: { row: Locked; next: Next }[] = [];
  const outcomes = ids.map((id): ChangeOutcome => {
    const row = byId.get(id);
    if (!row) return { id, result: "not_found" };
    const next = transition(row, changeFor(id), actor.kind);
    if (next === "unchanged") return { id, result: "unchanged", status: row.status };
    if ("refused" in next) return { id, result: "refused", status: row.status, message: next.refused };
    moves.push({ row, next });
    return { id, result: "changed", from: row.status, to: next.status, hold: next.hold };
  });
  if (moves.length === 0) return outcomes;

  const moved = JSON.stringify(
    moves.map(({ row, next }) => ({
      id: row.id,
      status: next.status,
      hold: next.hold,
      reason: next.status === row.status ? row.reason : next.reason,
      note: next.note,
      signals: next.signals ? JSON.stringify(next.signals) : null,
      decided: row.status === "pending" && next.status !== "pending",
    })),
  );
  await tx.execute(sql`
    update conversions c set status = m.status, hold = m.hold, reason = m.reason, note = case when m.status <> c.status then m.note else coalesce(m.note, c.note) end,
      fraud_signals = coalesce(m.signals::jsonb, c.fraud_signals),
      status_changed_at = case when m.status <> c.status then now() else c.status_changed_at end,
      decided_at = case when m.decided then now() else c.decided_at end
    from json_to_recordset(${moved}::json) as m(id uuid, status conversion_status, hold conversion_hold, reason text,
      note text, signals text, decided boolean)
    where c.id = m.id`);

  const events = JSON.stringify(
    moves.map(({ row, next }) => ({
      conversion_id: row.id,
      merchant_id: row.merchant_id,
      publisher_id: row.publisher_id,
      from_status: row.status,
      to_status: next.status,
      from_hold: row.hold,
      to_hold: next.hold,
      reason: next.reason,
      note: next.note,
    })),
  );
  const written = await selectRows<{ id: string; conversion_id: string }>(
    tx,
    sql`insert into conversion_events (conversion_id, merchant_id, publisher_id, from_status, to_status, from_hold, to_hold,
        reason, note, actor_kind, actor_user_id, actor_label)
      select conversion_id, merchant_id, publisher_id, from_status, to_status, from_hold, to_hold, reason, note,
        ${actor.kind}::conversion_actor_kind, ${"userId" in actor ? actor.userId : null}::uuid, ${actor.label}
      from json_to_recordset(${events}::json) as x(conversion_id uuid, merchant_id uuid, publisher_id uuid,
        from_status conversion_status, to_status conversion_status, from_hold conversion_hold, to_hold conversion_hold,
        reason text, note text)
      returning id::text as id, conversion_id`,
  );

  // A screened conversion is in the reports while it earns: a rejection or reversal takes it out.
  await removeStoppedConversions(
    tx,
    moves
      .filter(
        ({ row, next }) =>
          row.screened && !row.is_test && next.status !== row.status && (next.status === "rejected" || next.status === "reversed"),
      )
      .map(({ row }) => row.id),
  );

  // Test conversions move like real ones, so a merchant can try the flow, but their money is not real.
  const booked = moves.filter(({ row }) => !row.is_test);
  await bookConversionApprovals(
    tx,
    booked
      .filter(({ row, next }) => row.status !== "approved" && next.status === "approved")
      .map(({ row }) => ({
        id: row.id,
        merchantId: row.merchant_id,
        publisherId: row.publisher_id,
        currency: row.currency,
        commissionMinor: amountFromSum(row.commission_minor),
        feeMinor: amountFromSum(row.fee_minor),
        merchantCostMinor: amountFromSum(row.merchant_cost_minor),
      })),
  );
  await bookConversionReversals(
    tx,
    booked.filter(({ row, next }) => row.status === "approved" && next.status === "reversed").map(({ row }) => row.id),
  );

  // A conversion fraud screening has not seen is not yet known to its publisher: screening's
  // "created" call carries the status it has by then, so the calls never arrive out of order.
  await queuePostbackDeliveries(
    tx,
    moves
      .filter(({ row, next }) => row.screened && next.status !== row.status)
      .map(({ row, next }) => ({ conversionId: row.id, trigger: next.status as Exclude<Status, "pending"> })),
  );

  const eventOf = new Map(written.map((e) => [e.conversion_id, e.id]));
  // Every move changes the status or the hold (a repeat is "unchanged"), and each is told.
  const notices = moves.flatMap(({ row }) =>
    told(actor.kind, row).map((organization_id) => ({ organization_id, event_id: eventOf.get(row.id)! })),
  );
  if (notices.length) {
    await tx.execute(sql`
      insert into conversion_notices (organization_id, event_id)
      select organization_id, event_id from json_to_recordset(${JSON.stringify(notices)}::json) as x(organization_id uuid, event_id bigint)`);
  }
  return outcomes;
}
