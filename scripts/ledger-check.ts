import { checkLedger } from "~/modules/ledger/check.server";
import { ledgerReportLines } from "~/modules/ledger/report-lines.server";
import { runTask } from "./cli";

/** Reconciles the configured database's ledger; exits 1 when anything differs. */
await runTask(async (db) => {
  const started = performance.now();
  const report = await checkLedger(db);
  const seconds = (performance.now() - started) / 1000;
  for (const line of ledgerReportLines(report, seconds)) process.stdout.write(`${line}\n`);
  if (!report.ok) process.exitCode = 1;
});
