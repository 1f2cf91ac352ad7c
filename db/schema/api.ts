import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./orgs";

const at = () => timestamp({ withTimezone: true });

/** An organization's REST API key: shown once, stored as its SHA-256 hash, listed by its prefix. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** The key's first characters, shown in lists so a person can tell keys apart. */
    prefix: text().notNull(),
    /** SHA-256 of the whole key, hex. */
    keyHash: text().notNull(),
    createdByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: at().notNull().defaultNow(),
    lastUsedAt: at(),
    revokedAt: at(),
    revokedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_org_idx").on(t.organizationId, t.createdAt)],
);

/** The first answer to a POST with an Idempotency-Key, replayed for a repeat within a day. */
export const apiIdempotency = pgTable(
  "api_idempotency",
  {
    apiKeyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    idempotencyKey: text().notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text().notNull(),
    /** Null while the first request is still being answered. */
    status: integer(),
    body: jsonb(),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] }), index("api_idempotency_created_idx").on(t.createdAt)],
);
