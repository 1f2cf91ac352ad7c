/**
 * The whole test command: typecheck, lint, Vitest (unit + integration on a real database), a
 * production build and Playwright in Debian's Chromium against the built app. Integration and
 * browser tests use DATABASE_URL's server when it is set (a fresh database each), else PGlite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const E2E_STAFF = { email: "e2e-staff@switchboard.example", password: "e2e staff passphrase" };

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed`);
    return false;
  }
  return true;
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(`No Chromium at ${CHROMIUM}. Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("▶ installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (
    !run("apt-get update", "apt-get", ["update", "-qq"], env) ||
    !run("apt-get install chromium", "apt-get", ["install", "-y", "-qq", "chromium"], env)
  ) {
    process.exit(1);
  }
}

/** A fresh database for the browser tests: on the DATABASE_URL server, or a PGlite folder. */
async function e2eDatabase() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-e2e-"));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sb_e2e_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function counts(file: string, passedKey: (j: Record<string, unknown>) => number, failedKey: (j: Record<string, unknown>) => number) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  return { passed: passedKey(json), failed: failedKey(json) };
}

/** The Meilisearch contract cases need a server; vitest alone would only count them as skipped. */
const meilisearchSkipped = process.env.MEILISEARCH_URL
  ? null
  : "Meilisearch contract cases skipped: MEILISEARCH_URL is not set, so there is no Meilisearch server to run them against (the postgres contract and the Meilisearch request, task and swap unit tests still run).";

ensureChromium();
if (meilisearchSkipped) console.log(`\n⚠ ${meilisearchSkipped}`);
mkdirSync(".cache", { recursive: true });
rmSync(".cache/vitest.json", { force: true });
rmSync(".cache/playwright.json", { force: true });

let ok =
  run("typecheck", "npx", ["tsc", "--noEmit"]) &&
  run("lint", "npx", ["eslint", ".", "--max-warnings", "0"]) &&
  run("vitest (unit + integration)", "npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=.cache/vitest.json",
  ]) &&
  run("build", "npx", ["remix", "vite:build"]);

if (ok) {
  const database = await e2eDatabase();
  try {
    const env = {
      ...process.env,
      ...database.env,
      E2E_STAFF_EMAIL: E2E_STAFF.email,
      E2E_STAFF_PASSWORD: E2E_STAFF.password,
      CHROMIUM_PATH: CHROMIUM,
    };
    ok =
      run(
        "create the e2e staff user",
        "npx",
        ["tsx", "scripts/staff-create.ts", "--email", E2E_STAFF.email, "--password", E2E_STAFF.password],
        env,
      ) && run("playwright (chromium)", "npx", ["playwright", "test"], env);
  } finally {
    await database.drop();
  }
}

const vitest = counts(
  ".cache/vitest.json",
  (j) => Number(j.numPassedTests ?? 0),
  (j) => Number(j.numFailedTests ?? 0),
);
const stats = (j: Record<string, unknown>) => (j.stats ?? {}) as Record<string, number>;
const playwright = counts(
  ".cache/playwright.json",
  (j) => (stats(j).expected ?? 0) + (stats(j).flaky ?? 0),
  (j) => stats(j).unexpected ?? 0,
);
// A failed step with no failed test (typecheck, lint, build) still counts as one failure.
const failed = Math.max(vitest.failed + playwright.failed, ok ? 0 : 1);
if (meilisearchSkipped) console.log(`\n⚠ ${meilisearchSkipped}`);
console.log(`\nvitest ${vitest.passed} passed, playwright ${playwright.passed} passed`);
console.log(`tests: ${vitest.passed + playwright.passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
