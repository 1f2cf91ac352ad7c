import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { niches, organizations } from "./orgs";

export const offerStatus = pgEnum("offer_status", ["draft", "in_review", "active", "paused", "archived"]);
export const offerVisibility = pgEnum("offer_visibility", ["public", "approval", "private"]);
export const countryMode = pgEnum("country_mode", ["all", "include", "exclude"]);

/** Amounts in minor units of the offer's currency, rates in basis points. */
export type OfferTier = { minConversions: number; flatMinor: number | null; bps: number | null };
export type OfferTerm = { event: string; type: "cps" | "cpa" | "hybrid"; flatMinor: number | null; bps: number | null; tiers: OfferTier[] };
export type OfferCaps = {
  offerDaily: number | null;
  offerMonthly: number | null;
  partnerDaily: number | null;
  partnerMonthly: number | null;
};
export type OfferCreatives = { banners: { url: string; alt: string }[]; textLinks: string[]; guidelines: string };

export const offers = pgTable(
  "offers",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text().notNull().default(""),
    landingUrl: text().notNull(),
    /** The query parameter that carries the click id when the landing URL has no {click_id} macro. */
    clickIdParam: text().notNull().default("click_id"),
    deepLinkDomains: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    countryMode: countryMode().notNull().default("all"),
    countries: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    trafficSources: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    currency: char({ length: 3 }).notNull(),
    terms: jsonb().$type<OfferTerm[]>().notNull(),
    cookieDays: integer().notNull(),
    validationDays: integer().notNull(),
    caps: jsonb().$type<OfferCaps>().notNull(),
    termsAndConditions: text().notNull().default(""),
    creatives: jsonb().$type<OfferCreatives>().notNull(),
    visibility: offerVisibility().notNull(),
    questions: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    autoApprove: boolean().notNull().default(false),
    reapplyCooldownDays: integer().notNull().default(30),
    status: offerStatus().notNull().default("draft"),
    /** Staff's reason when they send the offer back. */
    reviewReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("offers_merchant_idx").on(t.merchantId, t.status), index("offers_status_idx").on(t.status, t.updatedAt)],
);

export const offerNiches = pgTable(
  "offer_niches",
  {
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    nicheSlug: text()
      .notNull()
      .references(() => niches.slug, { onDelete: "cascade", onUpdate: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.offerId, t.nicheSlug] })],
);

/** What changed in an offer and when, shown to its partners. */
export const offerChanges = pgTable(
  "offer_changes",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    actorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    summary: text().notNull(),
    before: jsonb().$type<Record<string, unknown>>(),
    after: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("offer_changes_offer_idx").on(t.offerId, t.createdAt)],
);

/**
 * The network fee: the default row has no merchant; a merchant's row overrides it. Minimums are per
 * currency, in minor units.
 */
export const feePolicies = pgTable(
  "fee_policies",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    bps: integer().notNull(),
    minimums: jsonb().$type<Record<string, number>>().notNull().default({}),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("fee_policies_merchant_key").on(t.merchantId),
    uniqueIndex("fee_policies_default_key")
      .on(sql`(true)`)
      .where(sql`${t.merchantId} is null`),
  ],
);
