import { formatCount } from "~/lib/counts";
import { formatMoney } from "~/lib/money";
import { LEDGER_CHECK_LIST_LIMIT, type LedgerReport } from "./check.server";

/**
 * A ledger check as a terminal prints it (`npm run ledger:check`, the benches): what was looked at,
 * each check with what it found, the position per currency, then the differences.
 */
export function ledgerReportLines(report: LedgerReport, seconds: number): string[] {
  const n = formatCount;
  const { counts } = report;
  const width = Math.max(...report.checks.map((c) => c.label.length));
  return [
    `Ledger check: ${n(counts.accounts)} accounts, ${n(counts.postings)} postings, ${n(counts.entries)} entries, ` +
      `${n(counts.bookedConversions)} conversions with money booked; ${seconds.toFixed(2)} s`,
    ...report.checks.map((c) => {
      const verdict = c.differences === 0 ? "ok" : `${n(c.differences)} DIFFERENT`;
      return `  ${c.label.padEnd(width)}  ${n(c.checked).padStart(9)} checked  ${verdict}`;
    }),
    ...report.totals.map(
      (t) =>
        `  ${t.currency}: merchants owe ${formatMoney(t.receivableMinor, t.currency)}, publishers are owed ` +
        `${formatMoney(t.payableMinor, t.currency)}, network fees ${formatMoney(t.revenueMinor, t.currency)}`,
    ),
    ...(report.ok
      ? ["No differences."]
      : [
          `Differences (at most ${LEDGER_CHECK_LIST_LIMIT} per check):`,
          ...report.differences.map((d) => `  [${d.check}] ${d.description}`),
        ]),
  ];
}
