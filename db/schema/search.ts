import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The postgres engine's index: one row per searchable offer, without the offer's document, so the
 * rows that counts scan stay narrow (the document is in offerSearchPayloads).
 */
export const offerSearchDocuments = pgTable(
  "offer_search_documents",
  {
    offerId: uuid().primaryKey(),
    niches: text().array().notNull(),
    countries: text().array().notNull(),
    payoutType: text().notNull(),
    approvalMode: text().notNull(),
    epcMinor: integer(),
    /** The commission sort: best percentage first, then best flat amount (no FX between currencies). */
    commissionBps: integer().notNull(),
    commissionFlatMinor: bigint({ mode: "number" }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    searchVector: tsvector().notNull(),
    /** The title's words, and the title's with the merchant's and niches' names: relevance buckets (search/postgres.ts). */
    titleVector: tsvector().notNull(),
    headlineVector: tsvector().notNull(),
    /**
     * A fixed pseudo-random number in [0, 1) per offer: rows below a cut-off are a uniform sample,
     * so counts over a large match can be estimated from the sample (search/postgres.ts).
     */
    sampleKey: doublePrecision()
      .notNull()
      .generatedAlwaysAs(sql`(uuid_hash(offer_id)::bigint + 2147483648) / 4294967296.0`),
  },
  (t) => [
    index("offer_search_vector_idx").using("gin", t.searchVector),
    index("offer_search_niches_idx").using("gin", t.niches),
    index("offer_search_countries_idx").using("gin", t.countries),
    index("offer_search_title_idx").using("gin", t.titleVector),
    index("offer_search_headline_idx").using("gin", t.headlineVector),
    // Covers the filters and the short vectors, so a page in newest order is an index-only scan that stops at the page.
    index("offer_search_created_idx").on(
      t.createdAt,
      t.offerId,
      t.payoutType,
      t.approvalMode,
      t.niches,
      t.countries,
      t.titleVector,
      t.headlineVector,
    ),
    // Covers the facet columns, so the sample's counts without text are an index-only scan instead of a heap read per sampled row.
    index("offer_search_sample_idx").on(t.sampleKey, t.payoutType, t.approvalMode, t.niches, t.countries),
    index("offer_search_epc_idx").on(sql`${t.epcMinor} desc nulls last`),
    index("offer_search_commission_idx").on(sql`${t.commissionBps} desc`, sql`${t.commissionFlatMinor} desc`),
  ],
);

/** Each indexed offer's document, read only for a page's hits. */
export const offerSearchPayloads = pgTable("offer_search_payloads", {
  offerId: uuid().primaryKey(),
  document: jsonb().$type<Record<string, unknown>>().notNull(),
});

/**
 * Every word the index knows, for correcting misspelled query words with pg_trgm, and whether it
 * occurs in a title or in a title, merchant or niche name: a search skips the relevance buckets its
 * words cannot be in. The flags only ever turn on (an offer's removal leaves them), so they may
 * claim too much, never too little.
 */
export const searchWords = pgTable(
  "search_words",
  { word: text().primaryKey(), inTitle: boolean().notNull().default(true), inHeadline: boolean().notNull().default(true) },
  (t) => [index("search_words_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`)],
);

/**
 * Exact per-value counts over the whole index, kept by the postgres engine as it indexes and
 * removes: a facet that no text or other filter narrows reads these instead of counting rows.
 */
export const searchFacetTotals = pgTable(
  "search_facet_totals",
  { facet: text().notNull(), value: text().notNull(), count: integer().notNull() },
  (t) => [primaryKey({ columns: [t.facet, t.value] })],
);
