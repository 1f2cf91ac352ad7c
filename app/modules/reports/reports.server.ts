import { sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { countryName } from "~/lib/countries";
import { amountFromSum, amountPer, sumMoney } from "~/lib/money";
import type { StaffActor } from "../auth/staff.server";
import type { Tenant } from "../orgs/tenant.server";
import { addDays, daysBetween, type ReportBreakdown, type ReportQuery, type ReportViewer } from "./report-query";

/** What a report row adds up; money in minor units of the row's currency. */
type ReportMeasures = {
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  saleMinor: number;
  commissionMinor: number;
  /** Network fee and merchant cost: null for a publisher, who is not shown what the merchant pays. */
  feeMinor: number | null;
  merchantCostMinor: number | null;
};

/** A row of a report table: what it is (a day, an offer…), its measures and the rates made of them. */
export type ReportRow = ReportMeasures & {
  key: string;
  label: string;
  /** Conversions per click (0–1); null without clicks. */
  conversionRate: number | null;
  /** Commission per click, rounded to the minor unit; null without clicks. */
  epcMinor: number | null;
  /** Network fee per merchant cost (0–1), staff only; null otherwise or without cost. */
  takeRate: number | null;
};

/** One currency's part of a report: money in different currencies is never added together. */
export type CurrencyReport = { currency: string; totals: ReportRow; rows: ReportRow[] };

/** A report as plain JSON-able data: the tables per currency, the daily series and the top rows for the charts. */
export type Report = {
  viewer: ReportViewer;
  query: ReportQuery;
  currencies: CurrencyReport[];
  /** Clicks and conversions per day of the range (counts, so every currency together), zero days included. */
  series: { day: string; clicks: number; conversions: number }[];
  /** The biggest offers (merchant, publisher) or merchants (staff) by commission (staff: by fee), in the main currency. */
  top: { currency: string; by: ReportBreakdown; rows: { key: string; label: string; amountMinor: number }[] } | null;
};

type Scope = { viewer: ReportViewer; where: SQL };

type SumRow = {
  key: string | null;
  label: string | null;
  currency: string;
  clicks: string;
  unique_clicks: string;
  conversions: string;
  sale: string;
  commission: string;
  fee: string;
  cost: string;
};

const sums = sql`sum(r.clicks)::text as clicks, sum(r.unique_clicks)::text as unique_clicks, sum(r.conversions)::text as conversions,
  sum(r.sale_minor)::text as sale, sum(r.commission_minor)::text as commission, sum(r.fee_minor)::text as fee,
  sum(r.merchant_cost_minor)::text as cost`;

/** The rollup a breakdown reads and the time bounds of the range on it. */
function source(scope: Scope, query: ReportQuery, by: ReportBreakdown): { from: SQL; key: SQL } {
  const { from, to, timeZone } = query;
  if (scope.viewer === "staff" && (by === "day" || by === "merchant")) {
    // The network's own books are in UTC days: one row per merchant, currency and day.
    return {
      from: sql`report_merchant_days r where r.day between ${from}::date and ${to}::date and ${scope.where}`,
      key: by === "day" ? sql`r.day::text` : sql`r.merchant_id::text`,
    };
  }
  const table = by === "sub" || by === "country" ? sql`report_detail_hours` : sql`report_hours`;
  // The range's days in the viewer's zone, as the UTC instants they start and end at.
  const bounds = sql`r.hour >= (${from}::date::timestamp at time zone ${timeZone})
    and r.hour < ((${to}::date + 1)::timestamp at time zone ${timeZone})`;
  const keys: Record<ReportBreakdown, SQL> = {
    day: sql`(r.hour at time zone ${timeZone})::date::text`,
    offer: sql`r.offer_id::text`,
    publisher: sql`r.publisher_id::text`,
    merchant: sql`r.merchant_id::text`,
    sub: sql`r.sub1`,
    country: sql`r.country`,
  };
  return { from: sql`${table} r where ${bounds} and ${scope.where}`, key: keys[by] };
}

/** Names for a breakdown's keys: offers (with their merchant, for a publisher), organizations. */
function labelJoin(scope: Scope, by: ReportBreakdown): { join: SQL; label: SQL } {
  if (by === "offer") {
    return scope.viewer === "merchant"
      ? { join: sql`left join offers o on o.id = s.key::uuid`, label: sql`o.title` }
      : {
          join: sql`left join offers o on o.id = s.key::uuid left join organizations m on m.id = o.merchant_id`,
          label: sql`o.title || ' · ' || m.name`,
        };
  }
  if (by === "publisher" || by === "merchant") return { join: sql`left join organizations g on g.id = s.key::uuid`, label: sql`g.name` };
  return { join: sql``, label: sql`null::text` };
}

async function sumsBy(db: Database, scope: Scope, query: ReportQuery, by: ReportBreakdown) {
  const { from, key } = source(scope, query, by);
  const { join, label } = labelJoin(scope, by);
  return selectRows<SumRow>(
    db,
    sql`select s.*, ${label} as label from (
        select ${key} as key, r.currency, ${sums} from ${from} group by 1, 2
      ) s ${join}`,
  );
}

function rowOf(
  viewer: ReportViewer,
  by: ReportBreakdown,
  key: string,
  label: string | null,
  m: Omit<ReportMeasures, "feeMinor" | "merchantCostMinor"> & { feeMinor: number; merchantCostMinor: number },
): ReportRow {
  const seesCost = viewer !== "publisher";
  return {
    key,
    label: labelFor(by, key, label),
    ...m,
    feeMinor: seesCost ? m.feeMinor : null,
    merchantCostMinor: seesCost ? m.merchantCostMinor : null,
    conversionRate: m.clicks > 0 ? m.conversions / m.clicks : null,
    epcMinor: m.clicks > 0 ? amountPer(m.commissionMinor, m.clicks) : null,
    takeRate: viewer === "staff" && m.merchantCostMinor > 0 ? m.feeMinor / m.merchantCostMinor : null,
  };
}

function labelFor(by: ReportBreakdown, key: string, label: string | null): string {
  if (by === "country") return key === "" ? "Unknown" : countryName(key);
  if (by === "sub") return key === "" ? "(no sub id)" : key;
  return label ?? key;
}

const measuresOf = (r: SumRow) => ({
  clicks: Number(r.clicks),
  uniqueClicks: Number(r.unique_clicks),
  conversions: Number(r.conversions),
  saleMinor: amountFromSum(r.sale),
  commissionMinor: amountFromSum(r.commission),
  feeMinor: amountFromSum(r.fee),
  merchantCostMinor: amountFromSum(r.cost),
});

const sortValue: Record<Exclude<ReportQuery["sort"], "key">, (r: ReportRow) => number | null> = {
  clicks: (r) => r.clicks,
  uniqueClicks: (r) => r.uniqueClicks,
  conversions: (r) => r.conversions,
  conversionRate: (r) => r.conversionRate,
  epc: (r) => r.epcMinor,
  sale: (r) => r.saleMinor,
  commission: (r) => r.commissionMinor,
  fee: (r) => r.feeMinor,
  merchantCost: (r) => r.merchantCostMinor,
  takeRate: (r) => r.takeRate,
};

function compareRows(query: ReportQuery) {
  const sign = query.dir === "asc" ? 1 : -1;
  return (a: ReportRow, b: ReportRow) => {
    if (query.sort === "key") {
      const byKey = query.by === "day" ? a.key.localeCompare(b.key) : a.label.localeCompare(b.label) || a.key.localeCompare(b.key);
      return sign * byKey;
    }
    const value = sortValue[query.sort];
    // Rows without a value (no clicks for a rate) go last either way; ties keep the name order.
    const x = value(a) ?? -Infinity;
    const y = value(b) ?? -Infinity;
    return x === y ? a.label.localeCompare(b.label) : sign * (x - y);
  };
}

/** The table of a breakdown, per currency (the one with most clicks first), sorted as asked, with totals. */
function tables(viewer: ReportViewer, query: ReportQuery, rows: SumRow[]): CurrencyReport[] {
  const byCurrency = new Map<string, SumRow[]>();
  for (const row of rows) {
    const list = byCurrency.get(row.currency);
    if (list) list.push(row);
    else byCurrency.set(row.currency, [row]);
  }
  return [...byCurrency]
    .map(([currency, list]) => {
      const measures = list.map(measuresOf);
      const count = (pick: (m: (typeof measures)[number]) => number) => measures.reduce((a, m) => a + pick(m), 0);
      const money = (pick: (m: (typeof measures)[number]) => number) => sumMoney(measures.map(pick));
      const total = {
        clicks: count((m) => m.clicks),
        uniqueClicks: count((m) => m.uniqueClicks),
        conversions: count((m) => m.conversions),
        saleMinor: money((m) => m.saleMinor),
        commissionMinor: money((m) => m.commissionMinor),
        feeMinor: money((m) => m.feeMinor),
        merchantCostMinor: money((m) => m.merchantCostMinor),
      };
      return {
        currency,
        totals: rowOf(viewer, query.by, "total", "Total", total),
        rows: list.map((r, i) => rowOf(viewer, query.by, r.key ?? "", r.label, measures[i]!)).sort(compareRows(query)),
      };
    })
    .sort((a, b) => b.totals.clicks - a.totals.clicks || a.currency.localeCompare(b.currency));
}

function series(query: ReportQuery, rows: SumRow[]) {
  const days = new Map<string, { clicks: number; conversions: number }>();
  for (const r of rows) {
    const day = days.get(r.key!) ?? { clicks: 0, conversions: 0 };
    days.set(r.key!, { clicks: day.clicks + Number(r.clicks), conversions: day.conversions + Number(r.conversions) });
  }
  return Array.from({ length: daysBetween(query.from, query.to) }, (_, i) => {
    const day = addDays(query.from, i);
    return { day, ...(days.get(day) ?? { clicks: 0, conversions: 0 }) };
  });
}

const TOP_ROWS = 8;

function top(viewer: ReportViewer, query: ReportQuery, rows: SumRow[]): Report["top"] {
  const by: ReportBreakdown = viewer === "staff" ? "merchant" : "offer";
  const [main] = tables(viewer, { ...query, by, sort: viewer === "staff" ? "fee" : "commission", dir: "desc" }, rows);
  if (!main) return null;
  return {
    currency: main.currency,
    by,
    rows: main.rows
      .slice(0, TOP_ROWS)
      .map((r) => ({ key: r.key, label: r.label, amountMinor: (viewer === "staff" ? r.feeMinor : r.commissionMinor) ?? 0 })),
  };
}

/** The rows of one breakdown, per currency: what the REST API and the CSV export read. */
export async function readReportTable(db: Database, scope: Scope, query: ReportQuery): Promise<CurrencyReport[]> {
  return tables(scope.viewer, query, await sumsBy(db, scope, query, query.by));
}

async function readScoped(db: Database, scope: Scope, query: ReportQuery): Promise<Report> {
  const topBy: ReportBreakdown = scope.viewer === "staff" ? "merchant" : "offer";
  const [table, days, leaders] = await Promise.all([
    sumsBy(db, scope, query, query.by),
    query.by === "day" ? null : sumsBy(db, scope, query, "day"),
    query.by === topBy ? null : sumsBy(db, scope, query, topBy),
  ]);
  return {
    viewer: scope.viewer,
    query,
    currencies: tables(scope.viewer, query, table),
    series: series(query, days ?? table),
    top: top(scope.viewer, query, leaders ?? table),
  };
}

/** A merchant's or publisher's scope: a merchant's rows are those on its offers, a publisher's those on its links. */
export function tenantReportScope(tenant: Tenant): Scope {
  const id = tenant.organization.id;
  return tenant.organization.kind === "merchant"
    ? { viewer: "merchant", where: sql`r.merchant_id = ${id}::uuid` }
    : { viewer: "publisher", where: sql`r.publisher_id = ${id}::uuid` };
}

/** The network's scope: every merchant's rows, in UTC days. */
export function staffReportScope(_staff: StaffActor): Scope {
  return { viewer: "staff", where: sql`true` };
}

/** The tenant's report for a checked query (parseReportQuery): tables, series and top rows, plain data. */
export function readReport(db: Database, tenant: Tenant, query: ReportQuery): Promise<Report> {
  return readScoped(db, tenantReportScope(tenant), query);
}

/** The network's report (staff): UTC days, fees as network revenue and take rate per merchant and overall. */
export function readStaffReport(db: Database, staff: StaffActor, query: ReportQuery): Promise<Report> {
  return readScoped(db, staffReportScope(staff), query);
}
