import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversionEvents, conversions, offers, organizations } from "#db/schema";
import { amountFromSum } from "~/lib/money";
import { notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";
import { paidToPublisher } from "../payouts/items.server";
import { changeConversions, type ChangeOutcome, type ConversionActor, type ConversionChange } from "./lifecycle.server";

export type Conversion = typeof conversions.$inferSelect;
export type ConversionStatus = Conversion["status"];
export type ConversionEvent = typeof conversionEvents.$inferSelect;

/** A conversion named by the merchant's order id and event, with where it stands. */
export type OrderConversion = {
  id: string;
  orderId: string;
  event: string;
  status: ConversionStatus;
  hold: Conversion["hold"];
  screened: boolean;
  paid: boolean;
};

/** One change asked of some conversions: the conversions move together, in one transaction with the others. */
type ChangeGroup = { ids: string[]; change: ConversionChange };

type ConversionFilter = {
  offerId?: string;
  partnershipId?: string;
  /** Merchants only: one publisher's conversions. */
  publisherId?: string;
  status?: ConversionStatus;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  until?: Date;
  /** Matches any of sub1 to sub5. */
  subId?: string;
};

/** Where a page of the newest-first list ends: the last row's time (microseconds, UTC) and id. */
type ConversionCursor = { at: string; id: string };

const CONVERSION_PAGE_SIZE = 50;

const merchant = alias(organizations, "merchant");
const publisher = alias(organizations, "publisher");

/** The row with what a page names it by: the offer's title and both organizations' names. */
const listed = {
  conversion: conversions,
  offerTitle: offers.title,
  merchantName: merchant.name,
  publisherName: publisher.name,
  // Full precision, so the next page starts exactly after this row; a JS Date keeps only milliseconds.
  cursorAt: sql<string>`to_char(${conversions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/** The list's and the detail's select, with the offer and both sides joined. */
export function selectListedConversions(db: Database) {
  return db
    .select(listed)
    .from(conversions)
    .innerJoin(offers, eq(offers.id, conversions.offerId))
    .innerJoin(merchant, eq(merchant.id, conversions.merchantId))
    .innerJoin(publisher, eq(publisher.id, conversions.publisherId));
}

export type ListedConversion = Awaited<ReturnType<typeof selectListedConversions>>[number];

function filtered(filter: ConversionFilter): SQL[] {
  const where: (SQL | undefined)[] = [
    filter.offerId ? eq(conversions.offerId, filter.offerId) : undefined,
    filter.partnershipId ? eq(conversions.partnershipId, filter.partnershipId) : undefined,
    filter.publisherId ? eq(conversions.publisherId, filter.publisherId) : undefined,
    filter.status ? eq(conversions.status, filter.status) : undefined,
    filter.from ? gte(conversions.createdAt, filter.from) : undefined,
    filter.until ? lt(conversions.createdAt, filter.until) : undefined,
    filter.subId
      ? or(
          eq(conversions.sub1, filter.subId),
          eq(conversions.sub2, filter.subId),
          eq(conversions.sub3, filter.subId),
          eq(conversions.sub4, filter.subId),
          eq(conversions.sub5, filter.subId),
        )
      : undefined,
  ];
  return where.filter((w): w is SQL => w !== undefined);
}

/**
 * The tenant's conversions, bound at creation: a merchant's are those it pays for, a publisher's
 * those it earns. Another tenant's conversion is the same 404 as one that does not exist.
 */
export function conversionsFor(db: Database, tenant: Tenant) {
  const organizationId = tenant.organization.id;
  const scope =
    tenant.organization.kind === "merchant" ? eq(conversions.merchantId, organizationId) : eq(conversions.publisherId, organizationId);

  /**
   * Several changes (an import's approvals, and its rejections per reason and note) in one
   * transaction, as the signed-in person: all or nothing, each group's outcomes in its order. Every
   * conversion named is locked first, in id order, so this waits for (or is waited on by) any other
   * change in the same order, never in a cycle.
   */
  async function changeEach(groups: ChangeGroup[]): Promise<ChangeOutcome[][]> {
    const side = tenant.organization.kind;
    const actor: ConversionActor = { kind: side, userId: tenant.user.id, label: tenant.user.email };
    const own = side === "merchant" ? sql`c.merchant_id = ${organizationId}` : sql`c.publisher_id = ${organizationId}`;
    // One lifecycle call for every group, so the conversions and the ledger accounts are each locked once, in order.
    const changes = new Map(groups.flatMap((g) => g.ids.map((id) => [id, g.change] as const)));
    const outcomes = await db.transaction((tx) => changeConversions(tx, own, actor, [...changes.keys()], changes));
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    return groups.map((g) => g.ids.map((id) => byId.get(id)!));
  }

  return {
    /** Newest first, a page at a time after the cursor (keyset: no OFFSET), test conversions included. */
    async list(filter: ConversionFilter, after: ConversionCursor | null, limit = CONVERSION_PAGE_SIZE) {
      const rows = await selectListedConversions(db)
        .where(
          and(
            scope,
            ...filtered(filter),
            after ? sql`(${conversions.createdAt}, ${conversions.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(conversions.createdAt), desc(conversions.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { rows: page, next: rows.length > limit && last ? { at: last.cursorAt, id: last.conversion.id } : null };
    },
    /**
     * Applies a lifecycle change to the tenant's own conversions, in one transaction, as the signed-in
     * person; another tenant's conversion is not found.
     */
    async change(ids: string[], change: ConversionChange): Promise<ChangeOutcome[]> {
      const [outcomes] = await changeEach([{ ids, change }]);
      return outcomes!;
    },
    changeEach,
    /** The tenant's conversions of these orders (order id and event), in one query; the others are not there. */
    async findOrders(keys: { orderId: string; event: string }[]): Promise<OrderConversion[]> {
      if (keys.length === 0) return [];
      return selectRows<OrderConversion>(
        db,
        sql`select ${conversions.id}, ${conversions.orderId} as "orderId", ${conversions.event}, ${conversions.status}, ${conversions.hold},
            ${conversions.screenedAt} is not null as screened, ${paidToPublisher(sql`${conversions.id}`)} as paid
          from ${conversions}
          join json_to_recordset(${JSON.stringify(keys)}::json) as k("orderId" text, event text)
            on ${conversions.orderId} = k."orderId" and ${conversions.event} = k.event
          where ${scope}`,
      );
    },
    /** The order id and event of each of these conversions that is the tenant's. */
    async orders(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .select({ id: conversions.id, orderId: conversions.orderId, event: conversions.event })
        .from(conversions)
        .where(and(scope, inArray(conversions.id, ids)));
    },
    /** What happened to the tenant's conversion, oldest first: each change, who made it, why. */
    async events(conversionId: string): Promise<ConversionEvent[]> {
      const rows = await db
        .select({ event: conversionEvents })
        .from(conversionEvents)
        .innerJoin(conversions, eq(conversions.id, conversionEvents.conversionId))
        .where(and(scope, eq(conversionEvents.conversionId, conversionId)))
        .orderBy(asc(conversionEvents.id));
      return rows.map((r) => r.event);
    },
    async get(conversionId: string): Promise<ListedConversion> {
      const [row] = await selectListedConversions(db).where(and(scope, eq(conversions.id, conversionId)));
      if (!row) throw notFound("Conversion not found");
      return row;
    },
    /**
     * Counted and added up per status and currency since a time, test conversions left out: their
     * money is not real. Commission is what the publisher earns, merchant cost what the merchant pays.
     */
    async totals(filter: { since: Date; partnershipId?: string }) {
      const rows = await db
        .select({
          status: conversions.status,
          currency: conversions.currency,
          count: sql<number>`count(*)::int`,
          saleAmount: sql<string>`coalesce(sum(${conversions.saleAmountMinor}), 0)::text`,
          commission: sql<string>`coalesce(sum(${conversions.commissionMinor}), 0)::text`,
          fee: sql<string>`coalesce(sum(${conversions.feeMinor}), 0)::text`,
          merchantCost: sql<string>`coalesce(sum(${conversions.merchantCostMinor}), 0)::text`,
        })
        .from(conversions)
        .where(
          and(
            scope,
            eq(conversions.isTest, false),
            gte(conversions.createdAt, filter.since),
            filter.partnershipId ? eq(conversions.partnershipId, filter.partnershipId) : undefined,
          ),
        )
        .groupBy(conversions.status, conversions.currency)
        .orderBy(conversions.currency, conversions.status);
      return rows.map((r) => ({
        status: r.status,
        currency: r.currency,
        count: r.count,
        saleAmountMinor: amountFromSum(r.saleAmount),
        commissionMinor: amountFromSum(r.commission),
        feeMinor: amountFromSum(r.fee),
        merchantCostMinor: amountFromSum(r.merchantCost),
      }));
    },
  };
}
