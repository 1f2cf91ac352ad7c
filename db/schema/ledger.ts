import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, char, index, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./orgs";
import { conversions } from "./tracking";

/** Per party and currency; the network's own accounts have no organization. */
export const ledgerAccountKind = pgEnum("ledger_account_kind", ["merchant_receivable", "publisher_payable", "network_revenue", "cash"]);
export const ledgerPostingKind = pgEnum("ledger_posting_kind", [
  "conversion_approval",
  "conversion_reversal",
  "merchant_payment",
  "publisher_payout",
]);

/**
 * A ledger account. `balanceMinor` is kept in the transaction that books each posting, so pages read
 * it without summing; `npm run ledger:check` recomputes it from the entries.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: ledgerAccountKind().notNull(),
    organizationId: uuid().references(() => organizations.id, { onDelete: "restrict" }),
    currency: char({ length: 3 }).notNull(),
    balanceMinor: bigint({ mode: "number" }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("ledger_accounts_key").on(t.kind, t.organizationId, t.currency).nullsNotDistinct()],
);

/**
 * One balanced movement of money, append-only (a trigger refuses UPDATE and DELETE; a deferred
 * constraint trigger refuses a commit whose entries do not sum to zero in the posting's currency).
 * A conversion has at most one approval posting and one reversal, which negates the approval exactly.
 */
export const ledgerPostings = pgTable(
  "ledger_postings",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: ledgerPostingKind().notNull(),
    currency: char({ length: 3 }).notNull(),
    conversionId: uuid().references(() => conversions.id, { onDelete: "restrict" }),
    reversesPostingId: bigint({ mode: "number" }).references((): AnyPgColumn => ledgerPostings.id, { onDelete: "restrict" }),
    memo: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_postings_approval_key")
      .on(t.conversionId)
      .where(sql`${t.kind} = 'conversion_approval'`),
    uniqueIndex("ledger_postings_reversal_key")
      .on(t.conversionId)
      .where(sql`${t.kind} = 'conversion_reversal'`),
    uniqueIndex("ledger_postings_reverses_key").on(t.reversesPostingId),
    index("ledger_postings_created_idx").on(t.createdAt),
  ],
);

/** A posting's line: a signed amount in minor units on one account. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    postingId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerPostings.id, { onDelete: "restrict" }),
    accountId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: "restrict" }),
    amountMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [index("ledger_entries_posting_idx").on(t.postingId), index("ledger_entries_account_idx").on(t.accountId)],
);
