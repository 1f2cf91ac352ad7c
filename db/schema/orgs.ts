import { sql } from "drizzle-orm";
import { char, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const organizationKind = pgEnum("organization_kind", ["merchant", "publisher"]);
export const organizationStatus = pgEnum("organization_status", ["pending_review", "active", "rejected", "suspended"]);
export const memberRole = pgEnum("member_role", ["owner", "admin", "member"]);

export const organizations = pgTable(
  "organizations",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: organizationKind().notNull(),
    name: text().notNull(),
    slug: text().notNull(),
    status: organizationStatus().notNull().default("pending_review"),
    /** Why staff rejected or suspended it; shown to the organization. */
    statusReason: text(),
    statusChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organizations_slug_key").on(t.slug), index("organizations_status_idx").on(t.status, t.createdAt)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("memberships_org_user_key").on(t.organizationId, t.userId), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: memberRole().notNull(),
    /** SHA-256 of the token in the emailed link. */
    tokenHash: text().notNull(),
    invitedByUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_key").on(t.tokenHash),
    uniqueIndex("invitations_open_key")
      .on(t.organizationId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

/** The network-wide niche taxonomy. */
export const niches = pgTable("niches", {
  slug: text().primaryKey(),
  name: text().notNull(),
  createdAt: createdAt(),
});

export type SocialChannel = { platform: string; url: string };

export const publisherProfiles = pgTable("publisher_profiles", {
  organizationId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  description: text().notNull().default(""),
  websites: text()
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  socialChannels: jsonb().$type<SocialChannel[]>().notNull().default([]),
  trafficSources: text()
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  country: char({ length: 2 }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const publisherNiches = pgTable(
  "publisher_niches",
  {
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    nicheSlug: text()
      .notNull()
      .references(() => niches.slug, { onDelete: "cascade", onUpdate: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.nicheSlug] })],
);

export const merchantProfiles = pgTable("merchant_profiles", {
  organizationId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  website: text(),
  description: text().notNull().default(""),
  logoUrl: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
