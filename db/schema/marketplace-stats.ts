import { bigint, char, integer, pgEnum, pgTable, primaryKey, smallint, timestamp, uuid } from "drizzle-orm/pg-core";

export const statsSubject = pgEnum("stats_subject", ["offer", "merchant"]);

/**
 * The marketplace's signals from real data, per offer and per merchant over the last 30 and 90 days:
 * recomputed by a job. Rates are bps; a rate is null while there is too little data to state it.
 */
export const marketplaceStats = pgTable(
  "marketplace_stats",
  {
    subject: statsSubject().notNull(),
    subjectId: uuid().notNull(),
    windowDays: smallint().notNull(),
    clicks: bigint({ mode: "number" }).notNull(),
    conversions: integer().notNull(),
    decided: integer().notNull(),
    approved: integer().notNull(),
    reversed: integer().notNull(),
    /** Publisher commission on approved and pending conversions, in `currency` (offers only). */
    commissionMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }),
    epcMinor: integer(),
    conversionRateBps: integer(),
    approvalRateBps: integer(),
    /** Average hours from conversion to approval or rejection. */
    avgDecisionHours: integer(),
    reversalRateBps: integer(),
    computedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.subjectId, t.windowDays] })],
);
