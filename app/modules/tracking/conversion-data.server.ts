import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "#db/client";
import { conversions, offers, organizations } from "#db/schema";
import { amountFromSum } from "~/lib/money";
import { notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";

export type Conversion = typeof conversions.$inferSelect;
export type ConversionStatus = Conversion["status"];

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
