/**
 * Auto-approval benchmark: a fresh PostgreSQL database with 4 merchants × 5 offers × 10 publishers
 * (200 partnerships), then 100,000 screened, pending conversions whose validation period has ended,
 * inserted in one set-based statement. Times approveDueConversions end to end (its batches, each a
 * transaction that moves the conversions, writes their events and notices and books their ledger
 * postings), while a probe on its own connection does what a postback does (bump a counter, insert a
 * conversion, read it back) and records its latency, compared with the same probe on the idle database
 * before and after the job. Then reconciles the ledger with checkLedger. Prints figures only.
 *   DATABASE_URL=postgres://… npx tsx bench/auto-approval.ts [--conversions 100000] [--batch 500] [--probe-seconds 5]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { createServerDatabase } from "#tests/support/database";
import { feeSnapshot, termsSnapshot } from "#tests/support/tracking-rows";
import { checkLedger } from "~/modules/ledger/check.server";
import { ledgerReportLines } from "~/modules/ledger/report-lines.server";
import { AUTO_APPROVAL_BATCH, approveDueConversions, type ApprovalBatch } from "~/modules/tracking/auto-approval.server";
import { count, machine, seedPartnerships } from "./tracking-bench";

const { values } = parseArgs({
  options: {
    conversions: { type: "string", default: "100000" },
    batch: { type: "string", default: String(AUTO_APPROVAL_BATCH) },
    "probe-seconds": { type: "string", default: "5" },
  },
});
const CONVERSIONS = Number(values.conversions);
const BATCH = Number(values.batch);
const PROBE_SECONDS = Number(values["probe-seconds"]);
const SEED = { merchants: 4, offersPerMerchant: 5, publishers: 10 };
const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Partnership = { id: string; offer_id: string; publisher_id: string; merchant_id: string; link_id: number; currency: string };

/**
 * The due conversions in one statement: generate_series spreads them over the partnerships, with
 * sale amounts from 10.00 to 249.99, commission 8% and fee 20% of it (at least 0.50), rounded half-up.
 */
async function insertDueConversions(db: Database, partnerships: Partnership[], total: number) {
  const now = Date.now();
  await db.execute(sql`
    with p as (
      select (row_number() over (order by x.id) - 1)::int as n, x.*
      from json_to_recordset(${JSON.stringify(partnerships)}::json)
        as x(id uuid, offer_id uuid, publisher_id uuid, merchant_id uuid, link_id bigint, currency char(3))
    ), priced as (
      select g, p.*, 1000 + (g * 7919) % 24000 as sale
      from generate_series(1, ${total}::int) g join p on p.n = g % ${partnerships.length}::int
    ), amounts as (
      select priced.*, (sale * 800 + 5000) / 10000 as commission from priced
    )
    insert into conversions (merchant_id, offer_id, partnership_id, publisher_id, attributed_by, link_id, click_id, clicked_at,
      order_id, event, status, sale_amount_minor, commission_minor, fee_minor, merchant_cost_minor, currency, terms_snapshot,
      fee_snapshot, request_fingerprint, screened_at, validation_ends_at, created_at, status_changed_at)
    select merchant_id, offer_id, id, publisher_id, 'click', link_id, 'bench-click-' || g,
      ${new Date(now - 40 * 86_400_000).toISOString()}::timestamptz, 'bench-' || g, 'sale', 'pending', sale, commission,
      greatest((commission * 2000 + 5000) / 10000, 50), commission + greatest((commission * 2000 + 5000) / 10000, 50), currency,
      ${JSON.stringify(termsSnapshot)}::jsonb, ${JSON.stringify(feeSnapshot)}::jsonb, md5(g::text),
      ${new Date(now - 30 * 86_400_000).toISOString()}::timestamptz,
      ${new Date(now - 60_000).toISOString()}::timestamptz - (g % 1000) * interval '1 second',
      ${new Date(now - 30 * 86_400_000).toISOString()}::timestamptz, ${new Date(now - 30 * 86_400_000).toISOString()}::timestamptz
    from amounts`);
  await db.execute(sql`analyze conversions`);
}

/**
 * What a postback does to the database, on the probe's own connection: take the partnership's day
 * counter, insert a pending conversion (not yet due, so the job leaves it alone), then read it back.
 */
async function postbackProbe(db: Database, p: Partnership, i: number) {
  const order = `probe-${randomUUID()}`;
  const [row] = await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into conversion_counters (scope_id, period, count) values (${p.id}, 'probe', 1)
      on conflict (scope_id, period) do update set count = conversion_counters.count + 1`);
    return selectRows<{ id: string }>(
      tx,
      sql`insert into conversions (merchant_id, offer_id, partnership_id, publisher_id, attributed_by, link_id, click_id, order_id,
          event, status, sale_amount_minor, commission_minor, fee_minor, merchant_cost_minor, currency, terms_snapshot, fee_snapshot,
          request_fingerprint, screened_at, validation_ends_at)
        values (${p.merchant_id}, ${p.offer_id}, ${p.id}, ${p.publisher_id}, 'click', ${p.link_id}, ${order}, ${order}, 'sale', 'pending',
          ${5000 + i}, 400, 80, 480, ${p.currency}, ${JSON.stringify(termsSnapshot)}::jsonb, ${JSON.stringify(feeSnapshot)}::jsonb,
          ${order}, now(), now() + interval '30 days')
        returning id`,
    );
  });
  await selectRows(db, sql`select id, status, commission_minor from conversions where id = ${row!.id}`);
}

type Probe = { latencies: number[]; stop(): Promise<void> };

/** Runs the probe back to back until stopped, recording each one's milliseconds. */
function startProbe(db: Database, partnerships: Partnership[]): Probe {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const started = performance.now();
      await postbackProbe(db, partnerships[i % partnerships.length]!, i);
      latencies.push(performance.now() - started);
    }
  })();
  return {
    latencies,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

console.log("Auto-approval benchmark: approveDueConversions over due, screened, pending conversions, against PostgreSQL");
console.log(`machine: ${machine()}`);
const database = await createServerDatabase(SERVER, "sb_bench_");
const handle = await openDatabase({ url: database.url, poolSize: 4, migrate: true });
const probeHandle = await openDatabase({ url: database.url, poolSize: 1 });
try {
  const { db } = handle;
  const [version] = await selectRows<{ version: string }>(db, sql`select current_setting('server_version') as version`);
  console.log(
    `database: PostgreSQL ${version!.version} (a fresh database, dropped after); the job on a pool of 4, the probe on its own connection`,
  );
  await seedPartnerships(db, SEED);
  const partnerships = await selectRows<Partnership>(
    db,
    sql`select p.id, p.offer_id, p.publisher_id, o.merchant_id, l.id::int as link_id, o.currency
      from partnerships p join offers o on o.id = p.offer_id join tracking_links l on l.partnership_id = p.id
      where p.status = 'active' order by p.id`,
  );
  const seeding = performance.now();
  await insertDueConversions(db, partnerships, CONVERSIONS);
  console.log(
    `data: ${count(CONVERSIONS)} due, screened, pending conversions over ${partnerships.length} partnerships ` +
      `(${SEED.merchants} merchants, ${SEED.publishers} publishers), inserted in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  const idleProbe = async () => {
    const probe = startProbe(probeHandle.db, partnerships);
    await new Promise((resolve) => setTimeout(resolve, PROBE_SECONDS * 1000));
    await probe.stop();
    return probe.latencies;
  };
  const idleBefore = await idleProbe();

  const batches: ApprovalBatch[] = [];
  const busy = startProbe(probeHandle.db, partnerships);
  const started = performance.now();
  const { approved } = await approveDueConversions(db, new Date(), BATCH, (batch) => batches.push(batch));
  const seconds = (performance.now() - started) / 1000;
  await busy.stop();
  // Idle again after the job: on a shared machine the load moves, and the two idle runs show by how much.
  const idleAfter = await idleProbe();

  const longest = batches.reduce((a, b) => (b.ms > a.ms ? b : a), batches[0]!);
  const batchTimes = summary(batches.map((b) => b.ms));
  console.log(`\nauto-approval: ${count(approved)} approved in ${seconds.toFixed(2)} s = ${count(approved / seconds)} conversions/s`);
  console.log(
    `batches: ${batches.length} of up to ${BATCH}; transaction p50 ${ms(batchTimes.p50)}, p99 ${ms(batchTimes.p99)}, ` +
      `longest ${ms(longest.ms)} (${longest.approved} approved)`,
  );
  const line = (what: string, s: ReturnType<typeof summary>) =>
    console.log(`postback probe, ${what}: ${count(s.n)} runs, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
  line(`idle database before the job (${PROBE_SECONDS} s)`, summary(idleBefore));
  line("during the job", summary(busy.latencies));
  line(`idle database after the job (${PROBE_SECONDS} s)`, summary(idleAfter));
  const idle = summary([...idleBefore, ...idleAfter]);
  const during = summary(busy.latencies);
  console.log(
    `probe ratio during / idle (both idle runs together): p50 ×${(during.p50 / idle.p50).toFixed(2)}, p99 ×${(during.p99 / idle.p99).toFixed(2)}`,
  );

  const checking = performance.now();
  const report = await checkLedger(db);
  console.log("");
  for (const line of ledgerReportLines(report, (performance.now() - checking) / 1000)) console.log(line);
} finally {
  await probeHandle.close();
  await handle.close();
  await database.drop();
}
