import { percentText } from "~/lib/counts";
import { formatCsv } from "~/lib/csv";
import { amountToText } from "~/lib/money";
import { REPORT_BREAKDOWN_LABELS } from "~/lib/labels";
import type { CurrencyReport, ReportRow } from "./reports.server";
import type { ReportBreakdown, ReportViewer } from "./report-query";

/** A report table as CSV: one line per row and currency, plain decimals (no grouping, no symbols) for spreadsheets. */
export function reportCsv(viewer: ReportViewer, by: ReportBreakdown, currencies: CurrencyReport[]): string {
  const seesCost = viewer !== "publisher";
  const header = [
    REPORT_BREAKDOWN_LABELS[by],
    "Currency",
    "Clicks",
    "Unique clicks",
    "Conversions",
    "Conversion rate (%)",
    "EPC",
    "Sale amount",
    "Commission",
    ...(seesCost ? ["Network fee", "Merchant cost"] : []),
    ...(viewer === "staff" ? ["Take rate (%)"] : []),
  ];
  const line = (row: ReportRow, currency: string) => [
    by === "day" || by === "country" || by === "sub" ? row.label : `${row.label} (${row.key})`,
    currency,
    row.clicks,
    row.uniqueClicks,
    row.conversions,
    row.conversionRate === null ? "" : percentText(row.conversionRate),
    row.epcMinor === null ? "" : amountToText(row.epcMinor, currency),
    amountToText(row.saleMinor, currency),
    amountToText(row.commissionMinor, currency),
    ...(seesCost ? [amountToText(row.feeMinor, currency), amountToText(row.merchantCostMinor, currency)] : []),
    ...(viewer === "staff" ? [row.takeRate === null ? "" : percentText(row.takeRate)] : []),
  ];
  return formatCsv([header, ...currencies.flatMap((c) => c.rows.map((row) => line(row, c.currency)))]);
}
