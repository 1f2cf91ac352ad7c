import { Form, Link, useLocation } from "@remix-run/react";
import { FilterInput } from "~/components/filters";
import { DailyChart, TopChart } from "~/components/report-charts";
import { Button, Card, cx } from "~/components/ui";
import { formatCount, percentText } from "~/lib/counts";
import { REPORT_BREAKDOWN_LABELS, REPORT_PRESET_LABELS } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import { REPORT_BREAKDOWNS, REPORT_PRESETS, type ReportSort } from "~/modules/reports/report-query";
import type { CurrencyReport, Report, ReportRow } from "~/modules/reports/reports.server";

type Column = { sort: ReportSort; label: string; value: (row: ReportRow, currency: string) => string };

const percent = (rate: number | null) => (rate === null ? "–" : `${percentText(rate)}%`);
const money = (minor: number | null, currency: string) => (minor === null ? "–" : formatMoney(minor, currency));

/** The measures a viewer sees: a publisher is not shown the network's fee or the merchant's cost. */
function columnsFor(viewer: Report["viewer"]): Column[] {
  return [
    { sort: "clicks", label: "Clicks", value: (r) => formatCount(r.clicks) },
    { sort: "uniqueClicks", label: "Unique", value: (r) => formatCount(r.uniqueClicks) },
    { sort: "conversions", label: "Conversions", value: (r) => formatCount(r.conversions) },
    { sort: "conversionRate", label: "Conv. rate", value: (r) => percent(r.conversionRate) },
    { sort: "epc", label: "EPC", value: (r, c) => money(r.epcMinor, c) },
    { sort: "sale", label: "Sales", value: (r, c) => money(r.saleMinor, c) },
    { sort: "commission", label: "Commission", value: (r, c) => money(r.commissionMinor, c) },
    ...(viewer === "publisher"
      ? []
      : ([
          { sort: "fee", label: viewer === "staff" ? "Network revenue" : "Network fee", value: (r, c) => money(r.feeMinor, c) },
          { sort: "merchantCost", label: "Merchant cost", value: (r, c) => money(r.merchantCostMinor, c) },
        ] satisfies Column[])),
    ...(viewer === "staff" ? ([{ sort: "takeRate", label: "Take rate", value: (r) => percent(r.takeRate) }] satisfies Column[]) : []),
  ];
}

/** The current URL with some query parameters changed (null removes one). */
function useHref() {
  const location = useLocation();
  return (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    return `${location.pathname}?${params.toString()}`;
  };
}

function RangePicker({ report }: { report: Report | null }) {
  const href = useHref();
  const query = report?.query;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {REPORT_PRESETS.filter((p) => p !== "custom").map((preset) => (
          <Link
            key={preset}
            to={href({ preset, from: null, to: null })}
            className={cx(
              "rounded-md px-3 py-1.5 text-sm font-medium ring-1",
              query?.preset === preset
                ? "bg-indigo-600 text-white ring-indigo-600"
                : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50",
            )}
          >
            {REPORT_PRESET_LABELS[preset]}
          </Link>
        ))}
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="preset" value="custom" />
        {query ? <input type="hidden" name="by" value={query.by} /> : null}
        <FilterInput label="From" type="date" name="from" defaultValue={query?.from} required max="9999-12-31" />
        <FilterInput label="To" type="date" name="to" defaultValue={query?.to} required max="9999-12-31" />
        <Button type="submit">Show range</Button>
      </Form>
    </div>
  );
}

function Breakdowns({ report }: { report: Report }) {
  const href = useHref();
  return (
    <nav className="flex flex-wrap gap-1" aria-label="Break down by">
      {REPORT_BREAKDOWNS[report.viewer].map((by) => (
        <Link
          key={by}
          to={href({ by, sort: null, dir: null })}
          className={cx(
            "rounded-md px-3 py-1.5 text-sm font-medium",
            report.query.by === by ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100",
          )}
        >
          By {REPORT_BREAKDOWN_LABELS[by].toLowerCase()}
        </Link>
      ))}
    </nav>
  );
}

/** Rows a page shows per currency; the CSV export has them all. */
const SHOWN_ROWS = 200;

function CurrencyTable({ report, table }: { report: Report; table: CurrencyReport }) {
  const href = useHref();
  const columns = columnsFor(report.viewer);
  const { sort, dir } = report.query;
  const header = (key: ReportSort, label: string, numeric: boolean) => {
    const active = sort === key;
    const next = active && dir === "desc" ? "asc" : active ? "desc" : key === "key" ? "asc" : "desc";
    return (
      <th
        key={key}
        scope="col"
        className={cx("whitespace-nowrap py-2 pr-4 font-medium", numeric && "text-right")}
        aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
      >
        <Link to={href({ sort: key, dir: next })} className={cx("hover:text-zinc-900", active && "text-zinc-900")}>
          {label}
          {active ? (dir === "asc" ? " ↑" : " ↓") : ""}
        </Link>
      </th>
    );
  };
  return (
    <Card title={`${table.currency} · ${formatCount(table.rows.length)} ${table.rows.length === 1 ? "row" : "rows"}`}>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-zinc-500">
            <tr>
              {header("key", REPORT_BREAKDOWN_LABELS[report.query.by], false)}
              {columns.map((c) => header(c.sort, c.label, true))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {table.rows.slice(0, SHOWN_ROWS).map((row) => (
              <tr key={row.key}>
                <td className="max-w-56 truncate py-2 pr-4 text-zinc-900" title={row.label}>
                  {row.label}
                </td>
                {columns.map((c) => (
                  <td key={c.sort} className="whitespace-nowrap py-2 pr-4 text-right tabular-nums">
                    {c.value(row, table.currency)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-zinc-300 font-semibold">
            <tr>
              <td className="py-2 pr-4">Total</td>
              {columns.map((c) => (
                <td key={c.sort} className="whitespace-nowrap py-2 pr-4 text-right tabular-nums">
                  {c.value(table.totals, table.currency)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      {table.rows.length > SHOWN_ROWS ? (
        <p className="mt-3 text-sm text-zinc-500">The first {SHOWN_ROWS} rows are shown; the CSV export has all of them.</p>
      ) : null}
    </Card>
  );
}

/** The figures at the top: each currency's totals. */
function Totals({ report }: { report: Report }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {report.currencies.map((c) => {
        const t = c.totals;
        const figures: [string, string][] = [
          ["Clicks", `${formatCount(t.clicks)} (${formatCount(t.uniqueClicks)} unique)`],
          ["Conversions", `${formatCount(t.conversions)} · ${percent(t.conversionRate)}`],
          ["Commission", `${money(t.commissionMinor, c.currency)} · EPC ${money(t.epcMinor, c.currency)}`],
          ...(report.viewer === "staff"
            ? ([["Network revenue", `${money(t.feeMinor, c.currency)} · take rate ${percent(t.takeRate)}`]] as [string, string][])
            : report.viewer === "merchant"
              ? ([["Merchant cost", money(t.merchantCostMinor, c.currency)]] as [string, string][])
              : ([["Sales", money(t.saleMinor, c.currency)]] as [string, string][])),
        ];
        return figures.map(([label, value]) => (
          <div key={`${c.currency}-${label}`} className="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-zinc-200">
            <p className="text-xs font-medium text-zinc-500">
              {label} · {c.currency}
            </p>
            <p className="mt-1 break-words text-lg font-semibold text-zinc-900">{value}</p>
          </div>
        ));
      })}
    </div>
  );
}

/** The report page: range, charts, breakdown, tables per currency and their CSV export. */
export function ReportView({ report, error }: { report: Report | null; error: string | null }) {
  const href = useHref();
  return (
    <div className="space-y-6">
      <RangePicker report={report} />
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {report ? (
        <>
          <p className="text-sm text-zinc-600">
            {report.query.from === report.query.to ? report.query.from : `${report.query.from} to ${report.query.to}`}, days in{" "}
            <strong>{report.query.timeZone}</strong>
            {report.viewer === "staff" ? " (the network's books are kept in UTC days)" : ""}.
          </p>
          {report.currencies.length === 0 ? (
            <Card title="No activity">
              <p className="text-sm text-zinc-600">No clicks or conversions in this range.</p>
            </Card>
          ) : (
            <>
              <Totals report={report} />
              <div className="grid gap-6 lg:grid-cols-2">
                <Card title="Clicks and conversions per day">
                  <DailyChart id="report-daily" series={report.series} />
                </Card>
                {report.top ? (
                  <Card
                    title={`Top ${report.top.by === "merchant" ? "merchants by network revenue" : "offers by commission"} (${report.top.currency})`}
                  >
                    <TopChart id="report-top" currency={report.top.currency} rows={report.top.rows} />
                  </Card>
                ) : null}
              </div>
            </>
          )}
          <div className="flex flex-wrap items-center justify-between gap-3">
            <Breakdowns report={report} />
            <a href={href({ export: "csv" })} className="text-sm font-medium text-indigo-600 hover:underline" download>
              Export CSV
            </a>
          </div>
          {report.currencies.map((table) => (
            <CurrencyTable key={table.currency} report={report} table={table} />
          ))}
        </>
      ) : null}
    </div>
  );
}
