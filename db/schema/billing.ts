import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { ledgerPostings } from "./ledger";
import { offers } from "./offers";
import { organizations } from "./orgs";
import { conversions } from "./tracking";

const at = () => timestamp({ withTimezone: true });

/** The network's billing and payout settings, one row (staff settings); absent means the defaults in code. */
export const billingSettings = pgTable("billing_settings", {
  id: boolean().primaryKey().default(true),
  /** Days from issue to due; an invoice open after that is overdue. */
  invoiceDueDays: integer().notNull(),
  /** The smallest payout threshold a publisher may choose, per currency, in minor units. */
  payoutMinimums: jsonb().$type<Record<string, number>>().notNull().default({}),
  /** Pay publishers only for conversions whose merchant invoice is paid: the network never advances money. */
  payoutsRequirePaidInvoice: boolean().notNull().default(true),
  updatedAt: at().notNull().defaultNow(),
});

/** The last invoice number used; its row lock makes numbering gapless (a rolled-back issue frees its number). */
export const invoiceSequence = pgTable("invoice_sequence", {
  id: boolean().primaryKey().default(true),
  lastNumber: integer().notNull(),
});

/** `issued` stays while money is open (partly paid shows what is left); `paid` once fully paid; `void` with a reason. */
export const invoiceStatus = pgEnum("invoice_status", ["issued", "paid", "void"]);

/**
 * A merchant's bill in one currency for a period: the approvals booked in it net of the reversals
 * booked in it (commission + network fee = merchant cost), with lines per offer.
 */
export const invoices = pgTable(
  "invoices",
  {
    id: uuid().primaryKey().defaultRandom(),
    number: integer().notNull(),
    merchantId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    currency: char({ length: 3 }).notNull(),
    /** The period's postings were booked in [periodStart, periodEnd). */
    periodStart: at().notNull(),
    periodEnd: at().notNull(),
    status: invoiceStatus().notNull().default("issued"),
    commissionMinor: bigint({ mode: "number" }).notNull(),
    feeMinor: bigint({ mode: "number" }).notNull(),
    totalMinor: bigint({ mode: "number" }).notNull(),
    /** Sum of its payments, kept in the transaction that records each. */
    paidMinor: bigint({ mode: "number" }).notNull().default(0),
    issuedAt: at().notNull().defaultNow(),
    dueAt: at().notNull(),
    /** Null when the monthly schedule issued it. */
    issuedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    paidAt: at(),
    voidedAt: at(),
    voidReason: text(),
    voidedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** When the merchant's owners were told it is overdue (once). */
    overdueNotifiedAt: at(),
  },
  (t) => [
    uniqueIndex("invoices_number_key").on(t.number),
    index("invoices_merchant_idx").on(t.merchantId, t.issuedAt),
    index("invoices_open_idx")
      .on(t.dueAt)
      .where(sql`${t.status} = 'issued'`),
    check("invoices_total_check", sql`${t.totalMinor} = ${t.commissionMinor} + ${t.feeMinor}`),
  ],
);

/** An invoice's total per offer, with the offer's name as it was when issued. */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: uuid()
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "restrict" }),
    offerName: text().notNull(),
    approvals: integer().notNull(),
    reversals: integer().notNull(),
    commissionMinor: bigint({ mode: "number" }).notNull(),
    feeMinor: bigint({ mode: "number" }).notNull(),
    totalMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [index("invoice_lines_invoice_idx").on(t.invoiceId)],
);

/**
 * The ledger postings (approvals and reversals) an invoice bills, with their signed amounts. A posting
 * is on at most one invoice that is not void: a void invoice's postings go on the next one.
 */
export const invoiceItems = pgTable(
  "invoice_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: uuid()
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    postingId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerPostings.id, { onDelete: "restrict" }),
    conversionId: uuid()
      .notNull()
      .references(() => conversions.id, { onDelete: "restrict" }),
    offerId: uuid().notNull(),
    /** Negative for a reversal. */
    commissionMinor: bigint({ mode: "number" }).notNull(),
    feeMinor: bigint({ mode: "number" }).notNull(),
    totalMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    index("invoice_items_invoice_idx").on(t.invoiceId),
    index("invoice_items_posting_idx").on(t.postingId),
    index("invoice_items_conversion_idx").on(t.conversionId),
  ],
);

/** Money a merchant paid against an invoice, as staff recorded it; books cash against the receivable. */
export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: uuid()
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    amountMinor: bigint({ mode: "number" }).notNull(),
    receivedOn: text().notNull(),
    reference: text().notNull(),
    postingId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerPostings.id, { onDelete: "restrict" }),
    recordedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [index("invoice_payments_invoice_idx").on(t.invoiceId), check("invoice_payments_amount_check", sql`${t.amountMinor} > 0`)],
);
