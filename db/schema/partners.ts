import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offers, type OfferTerm } from "./offers";
import { organizations } from "./orgs";

export const applicationStatus = pgEnum("application_status", ["pending", "approved", "rejected", "withdrawn"]);
export const partnershipStatus = pgEnum("partnership_status", ["invited", "active", "paused", "ended"]);

export const applications = pgTable(
  "applications",
  {
    id: uuid().primaryKey().defaultRandom(),
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: applicationStatus().notNull().default("pending"),
    message: text().notNull().default(""),
    answers: jsonb().$type<{ question: string; answer: string }[]>().notNull().default([]),
    termsAcceptedAt: timestamp({ withTimezone: true }).notNull(),
    decisionReason: text(),
    decidedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("applications_open_key")
      .on(t.offerId, t.publisherId)
      .where(sql`${t.status} = 'pending'`),
    index("applications_publisher_idx").on(t.publisherId, t.createdAt),
    index("applications_offer_idx").on(t.offerId, t.status),
  ],
);

export const partnerships = pgTable(
  "partnerships",
  {
    id: uuid().primaryKey().defaultRandom(),
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: partnershipStatus().notNull(),
    /** A custom rate for this publisher; it beats the offer's terms for the events it lists. */
    customTerms: jsonb().$type<OfferTerm[]>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("partnerships_offer_publisher_key").on(t.offerId, t.publisherId),
    index("partnerships_publisher_idx").on(t.publisherId),
  ],
);
