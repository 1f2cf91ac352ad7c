import { sql } from "drizzle-orm";
import { bigint, index, integer, pgEnum, pgTable, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { offers } from "./offers";
import { organizations } from "./orgs";

const at = () => timestamp({ withTimezone: true });

/** A publisher's URL template the network calls when a conversion is created or changes: global (no offer) or per offer. */
export const publisherPostbacks = pgTable(
  "publisher_postbacks",
  {
    id: uuid().primaryKey().defaultRandom(),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    offerId: uuid().references(() => offers.id, { onDelete: "cascade" }),
    urlTemplate: text().notNull(),
    createdAt: at().notNull().defaultNow(),
    updatedAt: at().notNull().defaultNow(),
  },
  (t) => [unique("publisher_postbacks_scope_key").on(t.publisherId, t.offerId).nullsNotDistinct()],
);

export const postbackDeliveryStatus = pgEnum("postback_delivery_status", ["pending", "delivered", "failed"]);

/** One call owed to a publisher (a conversion's change, or a test), with its URL filled in. */
export const postbackDeliveries = pgTable(
  "postback_deliveries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    postbackId: uuid().references(() => publisherPostbacks.id, { onDelete: "set null" }),
    /** Null for a test. */
    conversionId: uuid(),
    /** What happened: created, approved, rejected, reversed, or test. */
    trigger: text().notNull(),
    url: text().notNull(),
    status: postbackDeliveryStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastHttpStatus: smallint(),
    lastError: text(),
    createdAt: at().notNull().defaultNow(),
    lastAttemptAt: at(),
  },
  (t) => [
    index("postback_deliveries_publisher_idx").on(t.publisherId, t.id),
    index("postback_deliveries_pending_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** Each call made for a delivery: when, the HTTP status or the error, and how long it took. */
export const postbackAttempts = pgTable(
  "postback_attempts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => postbackDeliveries.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    at: at().notNull().defaultNow(),
    httpStatus: smallint(),
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index("postback_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);
