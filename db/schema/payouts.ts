import { sql } from "drizzle-orm";
import { bigint, char, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { ledgerPostings } from "./ledger";
import { organizations } from "./orgs";
import { conversions } from "./tracking";

const at = () => timestamp({ withTimezone: true });

export const payoutMethod = pgEnum("payout_method", ["bank_transfer", "paypal", "other"]);

/** How a payout method's details are kept: the fields a bank or PayPal batch upload needs. */
export type PayoutDetails = {
  accountHolder?: string;
  iban?: string;
  accountNumber?: string;
  routingNumber?: string;
  swift?: string;
  bankName?: string;
  paypalEmail?: string;
  instructions?: string;
};

/** A publisher's payout method and details, and its threshold per currency (at or above the network minimum). */
export const payoutSettings = pgTable("payout_settings", {
  publisherId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  method: payoutMethod().notNull(),
  details: jsonb().$type<PayoutDetails>().notNull(),
  /** Minor units per currency; a currency without one uses the network minimum. */
  thresholds: jsonb().$type<Record<string, number>>().notNull().default({}),
  updatedAt: at().notNull().defaultNow(),
  updatedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
});

/** One payout run: staff's or the monthly schedule's (no user). */
export const payoutRuns = pgTable(
  "payout_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    createdAt: at().notNull().defaultNow(),
    createdByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("payout_runs_created_idx").on(t.createdAt)],
);

export const payoutStatus = pgEnum("payout_status", ["pending", "paid", "failed"]);

/**
 * What a run pays one publisher in one currency: the sum of its items. Paying it books publisher
 * payable against cash; a failed one books nothing and its items return to the balance.
 */
export const payouts = pgTable(
  "payouts",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => payoutRuns.id, { onDelete: "restrict" }),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    currency: char({ length: 3 }).notNull(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    status: payoutStatus().notNull().default("pending"),
    /** The method and details as they were when the run made it. */
    method: payoutMethod().notNull(),
    details: jsonb().$type<PayoutDetails>().notNull(),
    reference: text(),
    failureReason: text(),
    /** The ledger posting that paid it. */
    postingId: bigint({ mode: "number" }).references(() => ledgerPostings.id, { onDelete: "restrict" }),
    settledAt: at(),
    settledByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [
    index("payouts_run_idx").on(t.runId),
    index("payouts_publisher_idx").on(t.publisherId, t.createdAt),
    uniqueIndex("payouts_pending_key")
      .on(t.publisherId, t.currency)
      .where(sql`${t.status} = 'pending'`),
    check("payouts_amount_check", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * The ledger postings a payout pays: a conversion's approval (its commission) or, for a conversion
 * already paid and then reversed, the reversal carried as a negative amount. A posting is on at most
 * one payout that has not failed.
 */
export const payoutItems = pgTable(
  "payout_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    payoutId: uuid()
      .notNull()
      .references(() => payouts.id, { onDelete: "restrict" }),
    postingId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerPostings.id, { onDelete: "restrict" }),
    conversionId: uuid()
      .notNull()
      .references(() => conversions.id, { onDelete: "restrict" }),
    amountMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    index("payout_items_payout_idx").on(t.payoutId),
    index("payout_items_posting_idx").on(t.postingId),
    index("payout_items_conversion_idx").on(t.conversionId),
  ],
);
