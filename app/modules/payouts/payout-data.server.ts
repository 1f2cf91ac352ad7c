import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payouts } from "#db/schema";
import { amountFromSum } from "~/lib/money";
import { DAY_MS } from "~/lib/time";
import { notFound } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { maskedDetails, type PayoutDetails } from "./details";
import { PAYOUT_PAGE_SIZE, type PayoutMethod } from "./schemas";

export type PayoutStatus = (typeof payouts.$inferSelect)["status"];
export type PayoutFilter = { status?: PayoutStatus; from?: string; until?: string };

/** Where a newest-first page ends: the last row's creation time (microseconds, UTC) and id, as `time_id`. */
export type PayoutCursor = string;

/** A payout as its publisher sees it: the details masked, never in full. */
const listed = {
  id: payouts.id,
  runId: payouts.runId,
  currency: payouts.currency,
  amountMinor: payouts.amountMinor,
  status: payouts.status,
  method: payouts.method,
  details: payouts.details,
  reference: payouts.reference,
  failureReason: payouts.failureReason,
  settledAt: payouts.settledAt,
  createdAt: payouts.createdAt,
  cursorAt: sql<string>`to_char(${payouts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

function shown<R extends { method: PayoutMethod; details: PayoutDetails }>(row: R) {
  const { details, ...rest } = row;
  return { ...rest, maskedDetails: maskedDetails(row.method, details) };
}

export type PayoutConversion = {
  itemId: number;
  conversionId: string;
  amountMinor: number;
  clawback: boolean;
  orderId: string;
  offerTitle: string;
  merchantName: string;
  convertedAt: string;
};

/**
 * A publisher's payouts, bound at creation: another publisher's payout is the same 404 as one that
 * does not exist. Merchants have none (404).
 */
export function payoutsFor(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const publisherId = tenant.organization.id;
  const own = eq(payouts.publisherId, publisherId);
  return {
    /** Newest first, `limit` after the cursor (keyset), filtered by status and creation day (UTC, `until` inclusive). */
    async list(filter: PayoutFilter, cursor: PayoutCursor | null, limit = PAYOUT_PAGE_SIZE) {
      const [at, id] = cursor ? cursor.split("_") : [];
      const rows = await db
        .select(listed)
        .from(payouts)
        .where(
          and(
            own,
            filter.status ? eq(payouts.status, filter.status) : undefined,
            filter.from ? gte(payouts.createdAt, new Date(`${filter.from}T00:00:00Z`)) : undefined,
            filter.until ? lt(payouts.createdAt, new Date(Date.parse(`${filter.until}T00:00:00Z`) + DAY_MS)) : undefined,
            at && id ? sql`(${payouts.createdAt}, ${payouts.id}) < (${at}::timestamptz, ${id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(payouts.createdAt), desc(payouts.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        rows: page.map(({ cursorAt: _, ...row }) => shown(row)),
        next: rows.length > limit && last ? `${last.cursorAt}_${last.id}` : null,
      };
    },
    /** One payout with the conversions it pays (a clawback's amount negative). */
    async get(payoutId: string) {
      const [row] = await db
        .select(listed)
        .from(payouts)
        .where(and(own, eq(payouts.id, payoutId)));
      if (!row) throw notFound("Payout not found");
      const items = await selectRows<{
        item_id: string;
        conversion_id: string;
        amount_minor: string;
        order_id: string;
        offer_title: string;
        merchant_name: string;
        converted_at: string;
      }>(
        db,
        sql`select i.id::text as item_id, i.conversion_id, i.amount_minor::text as amount_minor, c.order_id, f.title as offer_title,
            m.name as merchant_name, c.created_at::text as converted_at
          from payout_items i
          join conversions c on c.id = i.conversion_id
          join offers f on f.id = c.offer_id
          join organizations m on m.id = c.merchant_id
          where i.payout_id = ${row.id}
          order by c.created_at, i.id`,
      );
      const { cursorAt: _, ...payout } = row;
      const conversions: PayoutConversion[] = items.map((i) => ({
        itemId: Number(i.item_id),
        conversionId: i.conversion_id,
        amountMinor: amountFromSum(i.amount_minor),
        clawback: amountFromSum(i.amount_minor) < 0,
        orderId: i.order_id,
        offerTitle: i.offer_title,
        merchantName: i.merchant_name,
        convertedAt: new Date(i.converted_at).toISOString(),
      }));
      return { payout: shown(payout), conversions };
    },
  };
}
