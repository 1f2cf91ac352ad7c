import { inArray, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offerSearchDocuments, offerSearchPayloads, searchFacetTotals, searchWords } from "#db/schema";
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
const payloads = offerSearchPayloads;

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
export function textArray(values: string[]): SQL {
  return sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
}
/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 500;
/** On re-index, every column takes the incoming row's value. */
const REPLACE_ALL = {
  niches: sql.raw("excluded.niches"),
  countries: sql.raw("excluded.countries"),
  payoutType: sql.raw("excluded.payout_type"),
  approvalMode: sql.raw("excluded.approval_mode"),
  epcMinor: sql.raw("excluded.epc_minor"),
  commissionBps: sql.raw("excluded.commission_bps"),
  commissionFlatMinor: sql.raw("excluded.commission_flat_minor"),
  createdAt: sql.raw("excluded.created_at"),
  searchVector: sql.raw("excluded.search_vector"),
  titleVector: sql.raw("excluded.title_vector"),
  headlineVector: sql.raw("excluded.headline_vector"),
};
/** The facet's column in the rows that counts are taken from. */
const FACET_ROW_COLUMN: Record<Facet, string> = {
  niche: "niche",
  country: "country",
  payoutType: "payout_type",
  approvalMode: "approval_mode",
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
    const rows = documents.slice(i, i + INSERT_CHUNK).map((d) => {
      const names = `${d.merchantName} ${d.nicheNames.join(" ")}`;
      return {
        offerId: d.id,
        niches: d.nicheSlugs,
        countries: d.countries,
        payoutType: d.payoutType,
        approvalMode: d.approvalMode,
        epcMinor: d.epcMinor,
        commissionBps: d.commissionBps,
        commissionFlatMinor: d.commissionFlatMinor,
        createdAt: new Date(d.createdAt * 1000),
        searchVector:
          sql`setweight(to_tsvector('english', ${d.title}), 'A') || setweight(to_tsvector('english', ${names}), 'B') || setweight(to_tsvector('english', ${d.description}), 'C')` as unknown as string,
        titleVector: sql`to_tsvector('english', ${d.title})` as unknown as string,
        headlineVector: sql`to_tsvector('english', ${`${d.title} ${names}`})` as unknown as string,
      };
    });
    await tx.insert(t).values(rows).onConflictDoUpdate({ target: t.offerId, set: REPLACE_ALL });
    await tx
      .insert(payloads)
      .values(documents.slice(i, i + INSERT_CHUNK).map((d) => ({ offerId: d.id, document: d as unknown as Record<string, unknown> })))
      .onConflictDoUpdate({ target: payloads.offerId, set: { document: sql.raw("excluded.document") } });
  }
  // Each word with where it occurs; the flags only turn on (see searchWords).
  const words = new Map<string, { inTitle: boolean; inHeadline: boolean }>();
  for (const d of documents) {
    const title = new Set(wordsOf(d.title));
    const headline = new Set(wordsOf(`${d.title} ${d.merchantName} ${d.nicheNames.join(" ")}`));
    for (const word of wordsOf(`${d.title} ${d.merchantName} ${d.nicheNames.join(" ")} ${d.description}`)) {
      if (word.length < 3 || word.length > 30) continue;
      const seen = words.get(word);
      words.set(word, { inTitle: !!seen?.inTitle || title.has(word), inHeadline: !!seen?.inHeadline || headline.has(word) });
    }
  }
  const rows = [...words].map(([word, flags]) => ({ word, ...flags }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK * 4) {
    await tx
      .insert(searchWords)
      .values(rows.slice(i, i + INSERT_CHUNK * 4))
      .onConflictDoUpdate({
        target: searchWords.word,
        set: {
          inTitle: sql`${searchWords.inTitle} or excluded.in_title`,
          inHeadline: sql`${searchWords.inHeadline} or excluded.in_headline`,
        },
        setWhere: sql`(excluded.in_title and not ${searchWords.inTitle}) or (excluded.in_headline and not ${searchWords.inHeadline})`,
      });
  }
}

/** One filtered facet's condition: its values or-ed. */
function facetCondition(facet: Facet, values: string[]): SQL {
  if (facet === "country") {
    // Runs there by name, or everywhere without excluding it.
    return or(
      ...values.map(
        (c) => sql`(${t.countries} @> ${textArray([c])} or (${t.countries} @> '{*}' and not ${t.countries} @> ${textArray([`!${c}`])}))`,
      ),
    )!;
  }
  if (facet === "niche") return sql`${t.niches} && ${textArray(values)}`;
  return sql`${facet === "payoutType" ? t.payoutType : t.approvalMode} = any(${textArray(values)})`;
}

/**
 * A tsquery literal: the groups and-ed, each group's forms or-ed. Written into the SQL (not bound) so
 * the planner estimates each word's frequency; safe because every form is letters and digits only.
 */
function tsquery(groups: string[][]): SQL {
  const forms = groups.flat();
  if (!forms.every((form) => /^[\p{L}\p{N}]+(:\*)?$/u.test(form))) throw new Error("A search word holds more than letters and digits");
  return sql.raw(`to_tsquery('english', '${groups.map((group) => `(${group.join(" | ")})`).join(" & ")}')`);
}

/** The order of a page for a sort that does not rank words. */
function pageOrder(sort: SearchQuery["sort"]): SQL {
  if (sort === "epc") return sql`${t.epcMinor} desc nulls last, ${t.createdAt} desc`;
  if (sort === "commission") return sql`${t.commissionBps} desc, ${t.commissionFlatMinor} desc`;
  return sql`${t.createdAt} desc`;
}

/**
 * A relevance page: the matches of each bucket, newest first, the buckets in order. Each bucket reads
 * at most `depth` offers (the rows up to the end of the page), in index order where it can, and is
 * not read at all once the buckets before it fill the page.
 */
function bucketedPage(buckets: SQL[], filter: SQL, depth: number, perPage: number, offset: number): SQL {
  const names = buckets.map((_, i) => `bucket${i}`);
  const found = (i: number) => sql.raw(["0", ...names.slice(0, i).map((name) => `(select count(*) from ${name})`)].join(" + "));
  return sql`${sql.join(
    buckets.map(
      (bucket, i) => sql`${sql.raw(names[i]!)} as (
        select ${t.offerId}, ${t.createdAt}, ${i} as bucket from ${t}
        where ${found(i)} < ${depth} and ${bucket} and ${filter}
        order by ${t.createdAt} desc, ${t.offerId} desc limit ${depth}
      ),`,
    ),
    sql` `,
  )}
  page as (
    select offer_id, row_number() over (order by bucket, created_at desc, offer_id desc) as position
    from (${sql.raw(names.map((name) => `select * from ${name}`).join(" union all "))}) found
    order by position limit ${perPage} offset ${offset}
  ),`;
}

type Spelling = { near: string[]; exactInTitle: boolean; inTitle: boolean; inHeadline: boolean };

/**
 * The relevance buckets, best first: every word whole in the title, every word (or its prefix or a
 * near spelling) in the title, in the title with merchant and niche names, anywhere. Each level holds
 * the one before, so a bucket is its level less the level before; a level no word can reach is left
 * out (its offers fall into the next bucket).
 */
function relevanceLevels(spellings: Spelling[], exactForm: SQL, anyForm: SQL): SQL[] {
  const every = (flag: keyof Omit<Spelling, "near">) => spellings.every((s) => s[flag]);
  const levels = [
    ...(every("exactInTitle") ? [sql`${t.titleVector} @@ ${exactForm}`] : []),
    ...(every("inTitle") ? [sql`${t.titleVector} @@ ${anyForm}`] : []),
    ...(every("inHeadline") ? [sql`${t.headlineVector} @@ ${anyForm}`] : []),
    sql`${t.searchVector} @@ ${anyForm}`,
  ];
  return levels.map((level, i) => (i === 0 ? level : sql`${level} and not ${levels[i - 1]!}`));
}

type CountRow = { facet: Facet | ""; value: string; n: number };
type SearchRow = {
  hits: OfferDocument[] | null;
  counts: CountRow[] | null;
  totals: { facet: Facet; value: string; count: number }[] | null;
  /** Exact number of matches, up to the limit + 1; null when the counted rows give it. */
  matches: number | null;
  /** More rows than the limit: the counts were taken on the sample. */
  overflow: boolean;
  indexed: number;
};

/** The statement's one row as a result: sampled counts scaled up, country tokens turned into countries. */
function searchResult(row: SearchRow, counted: Facet[], limit: number, fraction: number): SearchResult {
  const estimated = row.overflow && fraction < 1;
  const scale = (n: number) => (estimated ? Math.round(n / fraction) : n);
  const raw = Object.fromEntries(FACETS.map((f) => [f, {} as Record<string, number>])) as Record<Facet, Record<string, number>>;
  let countedTotal = 0;
  for (const r of row.totals ?? []) if (!counted.includes(r.facet)) raw[r.facet][r.value] = r.count;
  for (const r of row.counts ?? []) {
    if (r.facet === "") countedTotal = r.n;
    else raw[r.facet][r.value] = r.n;
  }
  const facets = Object.fromEntries(
    FACETS.map((f) => {
      const counts = f === "country" ? countryCounts(raw[f]) : raw[f];
      return [f, counted.includes(f) ? Object.fromEntries(Object.entries(counts).map(([v, n]) => [v, scale(n)])) : counts];
    }),
  ) as SearchResult["facets"];
  const hits = row.hits ?? [];
  if (counted.length === 0) {
    const total = Object.values(raw.approvalMode).reduce((a, b) => a + b, 0);
    return { hits, total, totalIsEstimate: false, facets, estimatedFacets: [] };
  }
  const exactMatches = row.matches !== null && row.matches <= limit;
  return {
    hits,
    total: exactMatches ? row.matches! : scale(countedTotal),
    totalIsEstimate: !exactMatches && estimated,
    facets,
    estimatedFacets: estimated ? counted : [],
  };
}

export type PostgresSearchOptions = {
  /** Counts over at most this many rows are exact; above it they are estimated from a sample. */
  exactCountLimit: number;
  /** About how many offers of the whole index the sample holds. */
  sampleSize: number;
};
const DEFAULT_SEARCH_OPTIONS: PostgresSearchOptions = { exactCountLimit: 500, sampleSize: 2000 };

/** Lower-case words of letters and digits, as both the index and the query see them. */
function wordsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 2),
    ),
  ];
}

/** A query's words: the first eight. */
export function queryWords(text: string): string[] {
  return wordsOf(text).slice(0, 8);
}

/**
 * The default engine: a weighted tsvector (title, then merchant and niches, then description) and
 * pg_trgm over the index's own words, so a misspelled word also searches for its nearest spellings.
 */
export class PostgresOfferSearch implements OfferSearch {
  readonly engine = "postgres" as const;
  private readonly options: PostgresSearchOptions;
  /** Offers in the index as of the last search; until then the "sample" is the whole index, so counts are exact. */
  private indexSize = 0;
  constructor(
    private readonly db: Database,
    options: Partial<PostgresSearchOptions> = {},
  ) {
    this.options = { ...DEFAULT_SEARCH_OPTIONS, ...options };
  }

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
      await tx.delete(payloads).where(inArray(payloads.offerId, offerIds));
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
      await tx.delete(payloads);
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

  /**
   * Each query word's nearest indexed spellings (pg_trgm) and whether it, its stem or a spelling
   * occurs in titles and in headlines, looked up before the search: the search's text condition is
   * then a literal the planner can estimate, and skips the buckets the words cannot be in.
   */
  private async spellings(words: string[]): Promise<Spelling[]> {
    if (words.length === 0) return [];
    const s = searchWords;
    const found = (flag: SQLWrapper, test: SQL) => sql`exists (select 1 from ${s} where ${flag} and (${test}))`;
    const rows = await selectRows<Spelling>(
      this.db,
      sql`select near.words as near,
            ${found(s.inTitle, sql`${s.word} in (q.w, stem.lexeme)`)} as "exactInTitle",
            ${found(s.inTitle, sql`${s.word} like q.w || '%' or ${s.word} like stem.lexeme || '%' or ${s.word} = any(near.words)`)} as "inTitle",
            ${found(s.inHeadline, sql`${s.word} like q.w || '%' or ${s.word} like stem.lexeme || '%' or ${s.word} = any(near.words)`)} as "inHeadline"
          from unnest(${textArray(words)}) with ordinality as q(w, n)
          cross join lateral (
            select array(select ${s.word} from ${s} where ${s.word} % q.w and ${s.word} <> q.w order by ${s.word} <-> q.w limit 3) as words
          ) near
          cross join lateral (select coalesce((select lexeme from unnest(to_tsvector('english', q.w)) limit 1), q.w) as lexeme) stem
          order by n`,
    );
    // Words too short to be indexed may be anywhere.
    return rows.map((r, i) => (words[i]!.length < 3 ? { ...r, exactInTitle: true, inTitle: true, inHeadline: true } : r));
  }

  /**
   * The typo lookup (text searches only), then one statement for the page, the total and every facet's
   * counts. Counts are exact while the rows they range over are few (up to `exactCountLimit`);
   * above that they are counted on the offers whose `sample_key` falls below a cut-off (about
   * `sampleSize` offers of the whole index), scaled up and flagged as estimates. Relevance ranks
   * by where the words are found (title, then title with merchant and niche names, then anywhere)
   * and then newest first (ADR 5).
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const { exactCountLimit: limit, sampleSize } = this.options;
    // A literal, so the planner sees how small the sample is; sized from the index as the last search saw it.
    const fraction = Number(Math.min(1, sampleSize / Math.max(1, this.indexSize)).toPrecision(6));
    const words = queryWords(query.text);
    const spellings = await this.spellings(words);
    const filtered = FACETS.filter((f) => query.filters[f].length > 0);
    // A facet that neither text nor another filter narrows is counted over the whole index: its totals are kept.
    const fromTotals = (f: Facet) => words.length === 0 && filtered.every((g) => g === f);
    const counted = FACETS.filter((f) => !fromTotals(f));
    const anyForm = tsquery(words.map((w, i) => [`${w}:*`, ...spellings[i]!.near]));
    const exactForm = tsquery(words.map((w) => [w]));
    const text = words.length > 0 ? sql`${t.searchVector} @@ ${anyForm}` : sql`true`;
    const allBut = (except?: Facet) =>
      sql.join([text, ...filtered.filter((f) => f !== except).map((f) => facetCondition(f, query.filters[f]))], sql` and `);
    // The rows some count ranges over: the matches, and for each counted filtered facet the rows its other filters let through.
    const widened = filtered.filter((f) => counted.includes(f));
    const scope = widened.length > 0 ? sql`(${sql.join(widened.map(allBut), sql` or `)})` : allBut();
    const facetRow = sql.join(
      [
        sql`${t.niches} as niche, ${t.countries} as country, ${t.payoutType} as payout_type, ${t.approvalMode} as approval_mode`,
        ...filtered.map((f) => sql`(${facetCondition(f, query.filters[f])}) as ${sql.raw(`ok_${f}`)}`),
      ],
      sql`, `,
    );
    const passes = (except?: Facet) => sql.raw(["true", ...filtered.filter((f) => f !== except).map((f) => `ok_${f}`)].join(" and "));
    const counts = sql.join(
      [
        sql`select '' as facet, '' as value, count(*)::int as n from counted where ${passes()}`,
        ...counted.map((f) =>
          f === "niche" || f === "country"
            ? sql`select ${f}, v, count(*)::int from counted, unnest(${sql.raw(f)}) v where ${passes(f)} group by v`
            : sql`select ${f}, ${sql.raw(FACET_ROW_COLUMN[f])}, count(*)::int from counted where ${passes(f)} group by 2`,
        ),
      ],
      sql` union all `,
    );
    const offset = (query.page - 1) * query.perPage;
    const page =
      words.length > 0 && query.sort === "relevance"
        ? bucketedPage(
            relevanceLevels(spellings, exactForm, anyForm),
            sql.join([sql`true`, ...filtered.map((f) => facetCondition(f, query.filters[f]))], sql` and `),
            query.page * query.perPage,
            query.perPage,
            offset,
          )
        : sql`page as (
            select offer_id, row_number() over () as position from (
              select ${t.offerId} from ${t} where ${allBut()} order by ${pageOrder(query.sort)}, ${t.offerId} desc
              limit ${query.perPage} offset ${offset}
            ) ordered
          ),`;
    // The sample comes first: only when it predicts few rows are they read in full, and then at most limit + 1 of them.
    const expected = sql.raw(String(limit * fraction));
    const [row] = await selectRows<SearchRow>(
      this.db,
      sql`with ${page}
        sampled as (select ${facetRow} from ${t} where ${counted.length > 0 ? sql`${t.sampleKey} < ${sql.raw(String(fraction))}` : sql`false`} and ${scope}),
        probe as (
          select ${facetRow} from ${t} where (select count(*) from sampled) <= ${expected} and ${scope} limit ${counted.length > 0 ? limit + 1 : 0}
        ),
        overflow as (select (select count(*) from sampled) > ${expected} or count(*) > ${limit} as yes from probe),
        counted as (
          select * from probe where not (select yes from overflow)
          union all
          select * from sampled where (select yes from overflow)
        ),
        counts as (${counts})
        select
          (select json_agg(${payloads.document} order by page.position) from page join ${payloads} using (offer_id)) as hits,
          (select json_agg(counts) from counts) as counts,
          ${counted.length < FACETS.length ? sql`(select json_agg(${searchFacetTotals}) from ${searchFacetTotals})` : sql`null`} as totals,
          ${widened.length === 0 ? sql`null` : sql`case when (select yes from overflow) and (select count(*) from sampled where ${passes()}) <= ${expected} then (select count(*) from (select 1 from ${t} where ${allBut()} limit ${limit + 1}) m)::int end`} as matches,
          (select yes from overflow) as overflow,
          (select coalesce(sum(${searchFacetTotals.count}), 0)::int from ${searchFacetTotals} where ${searchFacetTotals.facet} = 'approvalMode') as indexed`,
    );
    this.indexSize = row!.indexed;
    return searchResult(row!, counted, limit, fraction);
  }
}
