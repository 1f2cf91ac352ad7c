import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { offers, type OfferTerm } from "./offers";
import { organizations } from "./orgs";
import { users } from "./auth";
import { partnerships } from "./partners";

const at = () => timestamp({ withTimezone: true });
const subIds = () => ({ sub1: text(), sub2: text(), sub3: text(), sub4: text(), sub5: text() });

/**
 * One tracking link per partnership, made by a trigger when the partnership is: `code` is 16 URL-safe
 * characters of 96 random bits from gen_random_uuid's CSPRNG. The numeric id is what click ids carry.
 */
export const trackingLinks = pgTable(
  "tracking_links",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    partnershipId: uuid()
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    code: text()
      .notNull()
      .default(
        sql`translate(encode(substring(uuid_send(gen_random_uuid()) from 1 for 6) || substring(uuid_send(gen_random_uuid()) from 1 for 6), 'base64'), '+/', '-_')`,
      ),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tracking_links_partnership_key").on(t.partnershipId), uniqueIndex("tracking_links_code_key").on(t.code)],
);

/** Coupon codes a merchant gives a partnership; unique per merchant whatever their case. */
export const coupons = pgTable(
  "coupons",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    partnershipId: uuid()
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    code: text().notNull(),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("coupons_merchant_code_key").on(t.merchantId, sql`lower(${t.code})`),
    index("coupons_partnership_idx").on(t.partnershipId),
  ],
);

/**
 * Raw clicks, range-partitioned by day on `clicked_at` (the migration says PARTITION BY; drizzle
 * cannot), so old days are dropped whole. No foreign keys: the row is written in batches after the
 * redirect, and its ids were valid when the click id was signed.
 */
export const clicks = pgTable(
  "clicks",
  {
    clickId: text().notNull(),
    clickedAt: at().notNull(),
    linkId: bigint({ mode: "number" }).notNull(),
    partnershipId: uuid().notNull(),
    offerId: uuid().notNull(),
    publisherId: uuid().notNull(),
    merchantId: uuid().notNull(),
    ...subIds(),
    /** HMAC-SHA256 of the client address under the network's IP key, base64url: never the address. */
    ipHmac: text().notNull(),
    userAgent: text(),
    referrer: text(),
    country: char({ length: 2 }),
    isBot: boolean().notNull(),
    isUnique: boolean().notNull(),
  },
  (t) => [primaryKey({ columns: [t.clickId, t.clickedAt] })],
);

/** When an address last made a unique click on a link; rows older than a day are purged. */
export const clickUniques = pgTable(
  "click_uniques",
  {
    linkId: bigint({ mode: "number" }).notNull(),
    ipHmac: text().notNull(),
    uniqueAt: at().notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.ipHmac] }), index("click_uniques_at_idx").on(t.uniqueAt)],
);

/** Per link and UTC day, kept current by the click recorder in the same transaction as the clicks. */
export const clickDaily = pgTable(
  "click_daily",
  {
    day: date().notNull(),
    partnershipId: uuid().notNull(),
    linkId: bigint({ mode: "number" }).notNull(),
    offerId: uuid().notNull(),
    publisherId: uuid().notNull(),
    merchantId: uuid().notNull(),
    /** Every click, bots included; `botClicks` of them were bots, `uniqueClicks` were first from an address in 24 h. */
    clicks: integer().notNull(),
    uniqueClicks: integer().notNull(),
    botClicks: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.day] }),
    index("click_daily_merchant_idx").on(t.merchantId, t.day),
    index("click_daily_publisher_idx").on(t.publisherId, t.day),
  ],
);

export const conversionStatus = pgEnum("conversion_status", ["pending", "approved", "rejected", "reversed"]);
export const attributionKind = pgEnum("attribution_kind", ["click", "coupon"]);
/** Fraud review: `held` keeps a pending conversion from auto-approval until staff clear or reject it. */
export const conversionHold = pgEnum("conversion_hold", ["none", "held", "cleared"]);
/** Who made a conversion's change: a member of either side, staff, a scheduled job, or the merchant's postback. */
export const conversionActorKind = pgEnum("conversion_actor_kind", ["merchant", "publisher", "staff", "job", "postback"]);

/** A fraud signal found on a conversion, with its evidence in words a person can check. */
export type FraudSignal = { code: string; evidence: string };

/** What the fee policy was when a conversion was priced. */
export type FeeSnapshot = { source: "network" | "merchant"; bps: number; minimumMinor: number };
/** The terms a conversion was priced with, and why: which term, which tier, what count chose it. */
export type TermsSnapshot = {
  source: "offer" | "partnership";
  term: OfferTerm;
  tierIndex: number | null;
  monthConversionsBefore: number;
  flatMinor: number;
  bps: number;
};

export const conversions = pgTable(
  "conversions",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    offerId: uuid()
      .notNull()
      .references(() => offers.id, { onDelete: "restrict" }),
    partnershipId: uuid()
      .notNull()
      .references(() => partnerships.id, { onDelete: "restrict" }),
    publisherId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    attributedBy: attributionKind().notNull(),
    linkId: bigint({ mode: "number" }),
    clickId: text(),
    clickedAt: at(),
    couponCode: text(),
    orderId: text().notNull(),
    event: text().notNull(),
    customerId: text(),
    status: conversionStatus().notNull(),
    /** Why it does not earn (rejected) or why it changed; a reason code from the lifecycle's list. */
    reason: text(),
    saleAmountMinor: bigint({ mode: "number" }).notNull(),
    commissionMinor: bigint({ mode: "number" }).notNull(),
    feeMinor: bigint({ mode: "number" }).notNull(),
    merchantCostMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    termsSnapshot: jsonb().$type<TermsSnapshot>(),
    feeSnapshot: jsonb().$type<FeeSnapshot>(),
    /** From the click row: copied at conversion when it is written, else by the next click flush. */
    ...subIds(),
    clickCountry: char({ length: 2 }),
    clickIpHmac: text(),
    clickUserAgent: text(),
    clickFound: boolean().notNull().default(false),
    /** SHA-256 of the postback's identifying fields: a replay with the same ones returns this row. */
    requestFingerprint: text().notNull(),
    /** Made by the merchant's test tool; kept out of money and dashboards. */
    isTest: boolean().notNull().default(false),
    /** The customer's country as the merchant's postback reported it (ISO 3166-1 alpha-2). */
    customerCountry: char({ length: 2 }),
    /** The note the merchant or staff wrote with the last reason. */
    note: text(),
    hold: conversionHold().notNull().default("none"),
    fraudSignals: jsonb().$type<FraudSignal[]>().notNull().default([]),
    /** When fraud screening looked at it; auto-approval waits for it. */
    screenedAt: at(),
    validationEndsAt: at().notNull(),
    createdAt: at().notNull().defaultNow(),
    statusChangedAt: at().notNull().defaultNow(),
    /** When it left pending (approved or rejected): the marketplace's days-to-decision. */
    decidedAt: at(),
  },
  (t) => [
    uniqueIndex("conversions_order_key").on(t.merchantId, t.orderId, t.event),
    index("conversions_due_idx")
      .on(t.validationEndsAt)
      .where(sql`${t.status} = 'pending' and ${t.hold} <> 'held'`),
    index("conversions_unscreened_idx")
      .on(t.createdAt)
      .where(sql`${t.screenedAt} is null`),
    index("conversions_held_idx")
      .on(t.createdAt)
      .where(sql`${t.hold} = 'held' and ${t.status} = 'pending'`),
    index("conversions_click_ip_idx").on(t.clickIpHmac, t.createdAt),
    index("conversions_merchant_idx").on(t.merchantId, t.createdAt),
    index("conversions_publisher_idx").on(t.publisherId, t.createdAt),
    index("conversions_partnership_idx").on(t.partnershipId, t.createdAt),
    index("conversions_click_idx").on(t.clickId),
    index("conversions_order_idx").on(t.orderId),
  ],
);

/**
 * Conversions counted per partnership or offer per UTC day and month, for caps and tiers: a row lock
 * makes concurrent postbacks take turns, so a cap is never overshot and a tier count never repeats.
 */
export const conversionCounters = pgTable(
  "conversion_counters",
  {
    scopeId: uuid().notNull(),
    period: text().notNull(),
    count: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.scopeId, t.period] })],
);

/** How a merchant's server proves a postback is its own: a token (stored hashed) or a signing secret. */
export const postbackCredentials = pgTable(
  "postback_credentials",
  {
    merchantId: uuid()
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, hex. */
    tokenHash: text(),
    tokenHint: text(),
    tokenRotatedAt: at(),
    /** HMAC needs the secret itself; it is shown once and never rendered again. */
    signingSecret: text(),
    secretRotatedAt: at(),
  },
  (t) => [uniqueIndex("postback_credentials_token_key").on(t.tokenHash)],
);

/** Every postback a merchant's server sent, with what the engine answered; trimmed to the latest. */
export const postbackLog = pgTable(
  "postback_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    receivedAt: at().notNull(),
    method: text().notNull(),
    /** The parameters with the token masked. */
    parameters: jsonb().$type<Record<string, string>>().notNull(),
    authentication: text().notNull(),
    httpStatus: smallint().notNull(),
    outcome: text().notNull(),
    message: text().notNull(),
    conversionId: uuid(),
    replayed: boolean().notNull().default(false),
  },
  (t) => [index("postback_log_merchant_idx").on(t.merchantId, t.id)],
);

/**
 * Every change of a conversion's status or hold, append-only: who made it (a person, staff, a job or
 * the merchant's postback), the state before and after, and the reason and note given.
 */
export const conversionEvents = pgTable(
  "conversion_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    conversionId: uuid()
      .notNull()
      .references(() => conversions.id, { onDelete: "restrict" }),
    merchantId: uuid().notNull(),
    publisherId: uuid().notNull(),
    fromStatus: conversionStatus(),
    toStatus: conversionStatus().notNull(),
    fromHold: conversionHold(),
    toHold: conversionHold().notNull(),
    reason: text(),
    note: text(),
    actorKind: conversionActorKind().notNull(),
    actorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** The person's email, or the job's name: still says who acted after the user is gone. */
    actorLabel: text().notNull(),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [index("conversion_events_conversion_idx").on(t.conversionId, t.id)],
);

/** Changes to tell an organization about, drained into one email per organization by a job. */
export const conversionNotices = pgTable(
  "conversion_notices",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    eventId: bigint({ mode: "number" })
      .notNull()
      .references(() => conversionEvents.id, { onDelete: "restrict" }),
    createdAt: at().notNull().defaultNow(),
  },
  (t) => [index("conversion_notices_org_idx").on(t.organizationId, t.id)],
);

/** The fraud screen's thresholds, one row (staff settings); absent means the defaults in code. */
export const fraudSettings = pgTable("fraud_settings", {
  id: boolean().primaryKey().default(true),
  /** Click to conversion faster than this is suspicious. */
  minClickSeconds: integer().notNull(),
  /** More clicks than this from one address on one link within an hour is a flood. */
  maxClicksPerIpHour: integer().notNull(),
  /** How far back a member's log-in addresses count as the publisher's own. */
  selfTrafficDays: integer().notNull(),
  /** More conversions than this from one address within `burstMinutes` is a burst. */
  burstConversions: integer().notNull(),
  burstMinutes: integer().notNull(),
  updatedAt: at().notNull().defaultNow(),
});
