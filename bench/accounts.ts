/**
 * Account-enumeration timing: the sign-up and forgot-password route actions, each timed for addresses
 * that have an account and addresses that do not, alternating so drift hits both alike. Prints mean,
 * median and p95 per case and the ratio existing / missing, which should stay close to 1. Only the
 * request is timed: the jobs it queues (which do differ) run off the request path.
 *   npx tsx bench/accounts.ts [--runs 50]      (a fresh database on DATABASE_URL's server, else PGlite)
 */
import { parseArgs } from "node:util";
import type { ActionFunctionArgs } from "@remix-run/node";
import { action as forgotPasswordAction } from "~/routes/forgot-password";
import { action as signUpAction } from "~/routes/signup";
import { createTestDatabase } from "#tests/support/database";
import { createUser, PASSWORD, uniqueEmail } from "#tests/support/factories";
import { postForm } from "#tests/support/routes";

const { values } = parseArgs({ options: { runs: { type: "string", default: "50" } } });
const RUNS = Number(values.runs);
const WARM_UP = 5;

let ipCounter = 0;
const nextIp = () => `198.18.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}`;

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Case = { name: string; action: Action; path: string; form: (email: string) => Record<string, string> };

const cases: Case[] = [
  { name: "sign-up", action: signUpAction, path: "/signup", form: (email) => ({ name: "Bench", email, password: PASSWORD }) },
  { name: "forgot-password", action: forgotPasswordAction, path: "/forgot-password", form: (email) => ({ email }) },
];

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
  return { mean: samples.reduce((sum, ms) => sum + ms, 0) / samples.length, median: at(0.5), p95: at(0.95) };
}

const handle = await createTestDatabase();
try {
  console.log(`Accounts benchmark on ${handle.engine === "postgres" ? "PostgreSQL (DATABASE_URL)" : "PGlite"}, ${RUNS} runs per case`);
  const existing: string[] = [];
  for (let i = 0; i < RUNS + WARM_UP; i++) {
    existing.push((await createUser(handle.db, { name: "Holder" })).user.email);
  }

  for (const { name, action, path, form } of cases) {
    const timed = { existing: [] as number[], missing: [] as number[] };
    for (let i = 0; i < RUNS + WARM_UP; i++) {
      for (const kind of i % 2 === 0 ? (["existing", "missing"] as const) : (["missing", "existing"] as const)) {
        const email = kind === "existing" ? existing[i]! : uniqueEmail("missing");
        const started = performance.now();
        const answer = await postForm(handle.db, action, path, form(email), nextIp());
        const ms = performance.now() - started;
        if (answer.status !== 200) throw new Error(`${name} answered ${answer.status} for ${kind}: ${JSON.stringify(answer.body)}`);
        if (i >= WARM_UP) timed[kind].push(ms);
      }
    }
    const hit = summary(timed.existing);
    const miss = summary(timed.missing);
    const line = (label: string, stats: ReturnType<typeof summary>) =>
      `${label} mean ${stats.mean.toFixed(1)} median ${stats.median.toFixed(1)} p95 ${stats.p95.toFixed(1)} ms`;
    const ratio = (key: keyof ReturnType<typeof summary>) => (hit[key] / miss[key]).toFixed(2);
    console.log(`${name}\n  ${line("existing", hit)}\n  ${line("missing ", miss)}`);
    console.log(`  ratio existing/missing: mean ${ratio("mean")} median ${ratio("median")} p95 ${ratio("p95")}`);
  }
} finally {
  await handle.close();
}
