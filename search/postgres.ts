import { and, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { offerSearchDocuments, searchFacetTotals, searchWords } from "#db/schema";
import { countryCounts } from "./countries";
import { analyzeShadowTables, createShadowTables, dropShadowTables, swapShadowTables, useShadowTables } from "./postgres-rebuild";
import {
  FACETS,
  type Facet,
  type OfferDocument,
  type OfferIndexRebuild,
  type OfferSearch,
  type SearchQuery,
  type SearchResult,
} from "./types";

const t = offerSearchDocuments;

const FACET_FIELDS = { niches: t.niches, countries: t.countries, payoutType: t.payoutType, approvalMode: t.approvalMode };
type FacetFields = { niches: string[]; countries: string[]; payoutType: string; approvalMode: string };

/** Index writes take turns, so two workers cannot both apply a delta computed from the same old row. */
async function lockIndexWrites(tx: Database) {
  await tx.execute(sql`select pg_advisory_xact_lock(7202612)`);
}

/** Adds (+1) or takes away (−1) each row's facet values from the totals. */
async function applyFacetDelta(tx: Database, changes: { row: FacetFields; sign: 1 | -1 }[]) {
  const delta = new Map<string, number>();
  const add = (facet: Facet, value: string, n: number) =>
    delta.set(`${facet}\u0000${value}`, (delta.get(`${facet}\u0000${value}`) ?? 0) + n);
  for (const { row, sign } of changes) {
    row.niches.forEach((v) => add("niche", v, sign));
    row.countries.forEach((v) => add("country", v, sign));
    add("payoutType", row.payoutType, sign);
    add("approvalMode", row.approvalMode, sign);
  }
  const values = [...delta]
    .filter(([, n]) => n !== 0)
    .map(([key, count]) => {
      const [facet, value] = key.split("\u0000") as [string, string];
      return { facet, value, count };
    });
  if (values.length === 0) return;
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    await tx
      .insert(searchFacetTotals)
      .values(values.slice(i, i + INSERT_CHUNK))
      .onConflictDoUpdate({
        target: [searchFacetTotals.facet, searchFacetTotals.value],
        set: { count: sql`${searchFacetTotals.count} + excluded.count` },
      });
  }
  await tx.delete(searchFacetTotals).where(sql`${searchFacetTotals.count} <= 0`);
}

/** A text[] parameter; values are bound, never spliced into SQL. */
function textArray(values: string[]): SQL {
  return sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
}
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 500;
/** On re-index, every column takes the incoming row's value. */
const REPLACE_ALL = {
  document: sql.raw("excluded.document"),
  niches: sql.raw("excluded.niches"),
  countries: sql.raw("excluded.countries"),
  payoutType: sql.raw("excluded.payout_type"),
  approvalMode: sql.raw("excluded.approval_mode"),
  epcMinor: sql.raw("excluded.epc_minor"),
  commissionBps: sql.raw("excluded.commission_bps"),
  commissionFlatMinor: sql.raw("excluded.commission_flat_minor"),
  createdAt: sql.raw("excluded.created_at"),
  searchVector: sql.raw("excluded.search_vector"),
};
const FACET_COLUMN: Record<Facet, { column: SQL; array: boolean }> = {
  niche: { column: sql`${t.niches}`, array: true },
  country: { column: sql`${t.countries}`, array: true },
  payoutType: { column: sql`${t.payoutType}`, array: false },
  approvalMode: { column: sql`${t.approvalMode}`, array: false },
};

/** Upserts the documents with their facet deltas and words; the caller holds the write lock or writes a shadow. */
async function writeDocuments(tx: Database, documents: OfferDocument[]) {
  const previous = await tx
    .select(FACET_FIELDS)
    .from(t)
    .where(
      inArray(
        t.offerId,
        documents.map((d) => d.id),
      ),
    );
  await applyFacetDelta(tx, [
    ...previous.map((row) => ({ row, sign: -1 as const })),
    ...documents.map((d) => ({
      row: { niches: d.nicheSlugs, countries: d.countries, payoutType: d.payoutType, approvalMode: d.approvalMode },
      sign: 1 as const,
    })),
  ]);
  for (let i = 0; i < documents.length; i += INSERT_CHUNK) {
    const rows = documents.slice(i, i + INSERT_CHUNK).map((d) => ({
      offerId: d.id,
      document: d as unknown as Record<string, unknown>,
      niches: d.nicheSlugs,
      countries: d.countries,
      payoutType: d.payoutType,
      approvalMode: d.approvalMode,
      epcMinor: d.epcMinor,
      commissionBps: d.commissionBps,
      commissionFlatMinor: d.commissionFlatMinor,
      createdAt: new Date(d.createdAt * 1000),
      searchVector:
        sql`setweight(to_tsvector('english', ${d.title}), 'A') || setweight(to_tsvector('english', ${`${d.merchantName} ${d.nicheNames.join(" ")}`}), 'B') || setweight(to_tsvector('english', ${d.description}), 'C')` as unknown as string,
    }));
    await tx.insert(t).values(rows).onConflictDoUpdate({ target: t.offerId, set: REPLACE_ALL });
  }
  const words = [
    ...new Set(documents.flatMap((d) => queryWords(`${d.title} ${d.merchantName} ${d.nicheNames.join(" ")} ${d.description}`))),
  ].filter((w) => w.length >= 3 && w.length <= 30);
  for (let i = 0; i < words.length; i += INSERT_CHUNK * 4) {
    await tx
      .insert(searchWords)
      .values(words.slice(i, i + INSERT_CHUNK * 4).map((word) => ({ word })))
      .onConflictDoNothing();
  }
}

/** Lower-case words of letters and digits, as both the index and the query see them. */
export function queryWords(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 2),
    ),
  ].slice(0, 8);
}

/**
 * The default engine: a weighted tsvector (title, then merchant and niches, then description) and
 * pg_trgm over the index's own words, so a misspelled word also searches for its nearest spellings.
 */
export class PostgresOfferSearch implements OfferSearch {
  readonly engine = "postgres" as const;
  constructor(private readonly db: Database) {}

  async setup() {}

  async index(documents: OfferDocument[]) {
    if (documents.length === 0) return;
    await this.db.transaction(async (tx) => {
      await lockIndexWrites(tx);
      await writeDocuments(tx, documents);
    });
  }

  async remove(offerIds: string[]) {
    if (offerIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      await lockIndexWrites(tx);
      const removed = await tx.delete(t).where(inArray(t.offerId, offerIds)).returning(FACET_FIELDS);
      await applyFacetDelta(
        tx,
        removed.map((row) => ({ row, sign: -1 as const })),
      );
    });
  }

  async clear() {
    await this.db.transaction(async (tx) => {
      await lockIndexWrites(tx);
      await tx.delete(t);
      await tx.delete(searchFacetTotals);
    });
  }

  /** Builds into shadow tables (search/postgres-rebuild.ts); the swap renames them into place in one short transaction. */
  async startRebuild(): Promise<OfferIndexRebuild> {
    const live = await createShadowTables(this.db);
    return {
      index: async (documents) => {
        if (documents.length === 0) return;
        await this.db.transaction(async (tx) => {
          await useShadowTables(tx, live);
          await writeDocuments(tx, documents);
        });
      },
      swap: async () => {
        await analyzeShadowTables(this.db);
        await this.db.transaction(async (tx) => {
          await lockIndexWrites(tx);
          await swapShadowTables(tx, live);
        });
      },
      abandon: () => dropShadowTables(this.db),
    };
  }

  async health() {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(t);
    return { ok: true, detail: `${row?.n ?? 0} offers indexed in PostgreSQL` };
  }

  /** Each query word, or-ed with up to three indexed words that are spelled like it (one round trip). */
  private async textCondition(text: string): Promise<{ where: SQL; rank: SQL } | null> {
    const words = queryWords(text);
    if (words.length === 0) return null;
    const near = this.db
      .select({ word: searchWords.word })
      .from(searchWords)
      .where(sql`${searchWords.word} % q.w`)
      .orderBy(sql`${searchWords.word} <-> q.w`)
      .limit(3)
      .as("near");
    const rows = await this.db
      .select({ query: sql<string>`q.w`, word: near.word })
      .from(sql`unnest(${textArray(words)}) as q(w)`)
      .leftJoinLateral(near, sql`true`);
    const groups = words.map((word) => {
      const alternatives = rows.filter((r) => r.query === word && r.word && r.word !== word).map((r) => r.word!);
      return `(${[`${word}:*`, ...alternatives].join(" | ")})`;
    });
    const tsquery = sql`to_tsquery('english', ${groups.join(" & ")})`;
    return { where: sql`${t.searchVector} @@ ${tsquery}`, rank: sql`ts_rank_cd(${t.searchVector}, ${tsquery})` };
  }

  /** Each filtered facet's own condition: values or-ed. */
  private facetCondition(facet: Facet, values: string[]): SQL {
    if (facet === "country") {
      // Runs there by name, or everywhere without excluding it.
      return or(
        ...values.map(
          (c) => sql`(${t.countries} @> ${textArray([c])} or (${t.countries} @> '{*}' and not ${t.countries} @> ${textArray([`!${c}`])}))`,
        ),
      )!;
    }
    const { column, array } = FACET_COLUMN[facet];
    return array ? sql`${column} && ${textArray(values)}` : sql`${column} = any(${textArray(values)})`;
  }

  /**
   * The total and the payout-type and approval-mode counts from one grouped pass: those two facets
   * have a handful of values, so their filters are applied to the group keys afterwards, and each
   * filtered niche or country filter becomes a flag in the key.
   */
  private async scalarCube(base: SQL[], filters: SearchQuery["filters"], counted: (f: Facet) => boolean) {
    // A filter on a facet whose counts come from the totals only narrows: it goes into the WHERE.
    const pushed = FACETS.filter((f) => filters[f].length > 0 && !counted(f)).map((f) => this.facetCondition(f, filters[f]));
    const flagged = (["niche", "country"] as const).filter((f) => filters[f].length > 0 && counted(f));
    const flags = flagged.map((f) => sql`(${this.facetCondition(f, filters[f])})`.as(`ok_${f}`));
    const rows = await this.db
      .select({
        payoutType: t.payoutType,
        approvalMode: t.approvalMode,
        ...Object.fromEntries(flagged.map((f, i) => [f, flags[i]!])),
        n: sql<number>`count(*)::int`,
      })
      .from(t)
      .where(and(...base, ...pushed))
      .groupBy(sql`1, 2${sql.raw(flagged.map((_, i) => `, ${i + 3}`).join(""))}`);
    const passes = (row: Record<string, unknown>, except?: Facet) =>
      FACETS.filter((f) => f !== except && filters[f].length > 0 && counted(f)).every((f) =>
        f === "payoutType"
          ? filters.payoutType.includes(row.payoutType as string)
          : f === "approvalMode"
            ? filters.approvalMode.includes(row.approvalMode as string)
            : row[f] === true,
      );
    const countBy = (facet: "payoutType" | "approvalMode") => {
      const counts: Record<string, number> = {};
      for (const row of rows) if (passes(row, facet)) counts[row[facet]] = (counts[row[facet]] ?? 0) + Number(row.n);
      return counts;
    };
    const total = rows.filter((row) => passes(row)).reduce((sum, row) => sum + Number(row.n), 0);
    return { total, payoutType: countBy("payoutType"), approvalMode: countBy("approvalMode") };
  }

  /** Counts of one array facet over the rows every other filter lets through. */
  private async arrayFacetCounts(facet: "niche" | "country", where: SQL | undefined): Promise<Record<string, number>> {
    const values = this.db
      .select({ value: sql<string>`unnest(${facet === "niche" ? t.niches : t.countries})`.as("value") })
      .from(t)
      .where(where)
      .as("v");
    const rows = await this.db
      .select({ value: values.value, n: sql<number>`count(*)::int` })
      .from(values)
      .groupBy(values.value);
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const text = await this.textCondition(query.text);
    const base = text ? [text.where] : [];
    const narrowed = (except?: Facet) => text !== null || FACETS.some((f) => f !== except && query.filters[f].length > 0);
    const totals = FACETS.some((f) => !narrowed(f)) ? await this.facetTotals() : null;
    const order =
      query.sort === "epc"
        ? sql`${t.epcMinor} desc nulls last, ${t.createdAt} desc`
        : query.sort === "commission"
          ? sql`${t.commissionBps} desc, ${t.commissionFlatMinor} desc`
          : query.sort === "newest" || !text
            ? sql`${t.createdAt} desc`
            : sql`${text.rank} desc, ${t.createdAt} desc`;
    const where = and(...base, ...FACETS.filter((f) => query.filters[f].length > 0).map((f) => this.facetCondition(f, query.filters[f])));
    const allBut = (except: Facet) =>
      and(
        ...base,
        ...FACETS.filter((f) => f !== except && query.filters[f].length > 0).map((f) => this.facetCondition(f, query.filters[f])),
      );
    const [hits, cube, niche, country] = await Promise.all([
      this.db
        .select({ document: t.document })
        .from(t)
        .where(where)
        .orderBy(order, t.offerId)
        .limit(query.perPage)
        .offset((query.page - 1) * query.perPage),
      narrowed() ? this.scalarCube(base, query.filters, narrowed) : null,
      narrowed("niche") ? this.arrayFacetCounts("niche", allBut("niche")) : totals!.niche,
      narrowed("country") ? this.arrayFacetCounts("country", allBut("country")) : totals!.country,
    ]);
    const total = cube ? cube.total : Object.values(totals!.approvalMode).reduce((a, b) => a + b, 0);
    const scalar = (f: "payoutType" | "approvalMode") => (narrowed(f) ? cube![f] : totals![f]);
    const counted: Record<Facet, Record<string, number>> = {
      niche,
      country,
      payoutType: scalar("payoutType"),
      approvalMode: scalar("approvalMode"),
    };
    const tokenCounts = (f: Facet) => counted[f];
    return {
      hits: hits.map((h) => h.document as unknown as OfferDocument),
      total,
      facets: Object.fromEntries(
        FACETS.map((f) => [f, f === "country" ? countryCounts(tokenCounts(f)) : tokenCounts(f)]),
      ) as SearchResult["facets"],
    };
  }

  private async facetTotals(): Promise<Record<Facet, Record<string, number>>> {
    const rows = await this.db.select().from(searchFacetTotals);
    const totals = Object.fromEntries(FACETS.map((f) => [f, {} as Record<string, number>])) as Record<Facet, Record<string, number>>;
    for (const r of rows) totals[r.facet as Facet][r.value] = r.count;
    return totals;
  }
}
