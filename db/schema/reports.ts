import { bigint, char, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const hour = () => timestamp({ withTimezone: true }).notNull();

/**
 * What a report adds up, per rollup row. Conversions count while they earn (pending or approved, never
 * a test); a rejection or reversal takes them back out, in the transaction that makes it.
 */
const measures = () => ({
  clicks: integer().notNull().default(0),
  uniqueClicks: integer().notNull().default(0),
  conversions: integer().notNull().default(0),
  saleMinor: bigint({ mode: "number" }).notNull().default(0),
  commissionMinor: bigint({ mode: "number" }).notNull().default(0),
  feeMinor: bigint({ mode: "number" }).notNull().default(0),
  merchantCostMinor: bigint({ mode: "number" }).notNull().default(0),
});

/**
 * Per partnership and UTC hour (clicks by click time, conversions by conversion time): the hour grain
 * lets a merchant or publisher read days in its own time zone. Money is in the offer's currency.
 */
export const reportHours = pgTable(
  "report_hours",
  {
    hour: hour(),
    partnershipId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    offerId: uuid().notNull(),
    merchantId: uuid().notNull(),
    publisherId: uuid().notNull(),
    ...measures(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.currency, t.hour] }),
    index("report_hours_merchant_idx").on(t.merchantId, t.hour),
    index("report_hours_publisher_idx").on(t.publisherId, t.hour),
    index("report_hours_hour_idx").on(t.hour),
  ],
);

/** The same per sub id (sub1) and click country ('' when there was none), for the breakdowns by them. */
export const reportDetailHours = pgTable(
  "report_detail_hours",
  {
    hour: hour(),
    partnershipId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    sub1: text().notNull(),
    country: text().notNull(),
    offerId: uuid().notNull(),
    merchantId: uuid().notNull(),
    publisherId: uuid().notNull(),
    ...measures(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.currency, t.hour, t.sub1, t.country] }),
    index("report_detail_hours_merchant_idx").on(t.merchantId, t.hour),
    index("report_detail_hours_publisher_idx").on(t.publisherId, t.hour),
  ],
);

/** Per merchant, currency and UTC day: the network's own reports, in the UTC days its books are kept in. */
export const reportMerchantDays = pgTable(
  "report_merchant_days",
  {
    day: date().notNull(),
    merchantId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    ...measures(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.currency, t.day] }), index("report_merchant_days_day_idx").on(t.day)],
);
