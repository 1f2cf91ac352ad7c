import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerDatabase } from "#tests/support/database";

const serverUrl = process.env.DATABASE_URL;
const run = promisify(execFile);

/** `npm run ledger:check` as an operator or a cron runs it: a process, its output and its exit code. */
describe.skipIf(!serverUrl)("the ledger:check script", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  beforeAll(async () => {
    database = await createServerDatabase(serverUrl!);
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function ledgerCheck() {
    const env = { ...process.env, DATABASE_URL: database.url };
    try {
      const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/ledger-check.ts"], { env });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  it("exits 0 on a clean ledger, and 1 naming the difference once a balance no longer matches its entries", async () => {
    const clean = await ledgerCheck();
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No differences.");

    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await sql.begin(async (tx) => {
        // As a restore with triggers off would: a kept balance with no entries behind it.
        await tx`set local session_replication_role = replica`;
        await tx`insert into ledger_accounts (kind, currency, balance_minor) values ('network_revenue', 'USD', 100)`;
      });
    } finally {
      await sql.end();
    }
    const damaged = await ledgerCheck();
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/Kept balances equal the sums of their entries\s+1 checked\s+1 DIFFERENT/);
    expect(damaged.stdout).toContain("[balances]");
  });
});
