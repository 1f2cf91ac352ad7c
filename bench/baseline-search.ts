/**
 * The postgres engine's search as it was before ADR 5's "one round trip" section, kept only so that
 * bench/search.ts can measure before and after against the same data in the same run: a separate
 * typo-correction query, then the page and three exact counting queries in parallel.
 */
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { offerSearchDocuments, offerSearchPayloads, searchFacetTotals, searchWords } from "#db/schema";
import { countryCounts } from "#search/countries";
import { queryWords } from "#search/postgres";
import { FACETS, type Facet, type OfferDocument, type SearchQuery } from "#search/types";

const t = offerSearchDocuments;

type BaselineResult = { hits: OfferDocument[]; total: number; facets: Record<Facet, Record<string, number>> };

/** A text[] parameter; values are bound, never spliced into SQL. */
function textArray(values: string[]): SQL {
  return sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
}
const FACET_COLUMN: Record<Facet, { column: SQL; array: boolean }> = {
  niche: { column: sql`${t.niches}`, array: true },
  country: { column: sql`${t.countries}`, array: true },
  payoutType: { column: sql`${t.payoutType}`, array: false },
  approvalMode: { column: sql`${t.approvalMode}`, array: false },
};

export class BaselinePostgresSearch {
  constructor(private readonly db: Database) {}

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

  async search(query: SearchQuery): Promise<BaselineResult> {
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
        .select({ document: offerSearchPayloads.document })
        .from(t)
        .innerJoin(offerSearchPayloads, eq(offerSearchPayloads.offerId, t.offerId))
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
      ) as BaselineResult["facets"],
    };
  }

  private async facetTotals(): Promise<Record<Facet, Record<string, number>>> {
    const rows = await this.db.select().from(searchFacetTotals);
    const totals = Object.fromEntries(FACETS.map((f) => [f, {} as Record<string, number>])) as Record<Facet, Record<string, number>>;
    for (const r of rows) totals[r.facet as Facet][r.value] = r.count;
    return totals;
  }
}
