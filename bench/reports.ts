/**
 * Report benchmark: a fresh PostgreSQL database (sb_bench_…, dropped after) with 200 merchants,
 * 5,000 publishers, 10,000,000 clicks over 365 days and their conversions (~1.5%), written with
 * COPY; the rollups built by the migration's backfill (report_rollups_rebuild); then every
 * dashboard query (each breakdown) timed for merchants, publishers and staff over 30 and 365 days,
 * many times over different organizations (picked by their share of clicks, so the big ones come
 * up often). Prints p50/p95 per query against the 150 ms target (aim 50 ms).
 *   DATABASE_URL=postgres://… npx tsx bench/reports.ts [--clicks 10000000] [--reps 20]
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { createStaffUser } from "~/modules/auth/staff.server";
import type { Tenant } from "~/modules/orgs/tenant.server";
import { rebuildRollups } from "~/modules/reports/rollups.server";
import { addDays, dayIn, REPORT_BREAKDOWNS, type ReportQuery, type ReportViewer } from "~/modules/reports/report-query";
import { readReportTable, staffReportScope, tenantReportScope } from "~/modules/reports/reports.server";
import { createServerDatabase } from "#tests/support/database";
import { createOrgWithOwner, findPartnership, links } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { applyToOffer } from "~/modules/applications/applications.server";

const { values } = parseArgs({
  options: {
    clicks: { type: "string", default: "10000000" },
    merchants: { type: "string", default: "200" },
    publishers: { type: "string", default: "5000" },
    reps: { type: "string", default: "20" },
  },
});
const CLICKS = Number(values.clicks);
const MERCHANTS = Number(values.merchants);
const PUBLISHERS = Number(values.publishers);
const REPS = Number(values.reps);
const DAYS = 365;
const CONVERSION_RATE = 0.015;
const TARGET_MS = 150;
const AIM_MS = 50;

/**
 * mulberry32, seeded: 32-bit integer steps, so tens of millions of draws stay evenly spread (the
 * LCG in ./random.ts multiplies past 2^53 in floating point and falls into short cycles this long).
 */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = mulberry32(20_261_122);
const fmt = (n: number) => n.toLocaleString("en-US");

/** A skewed index in [0, n): small indexes much more often (a few big merchants, partnerships and days of peak). */
const skewed = (n: number, power = 2.5) => Math.min(n - 1, Math.floor(n * random() ** power));

function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${((done / total) * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(total)}`,
  );
  if (done >= total) process.stderr.write("\n");
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Copies one column list of `table` from a template row, for many rows that differ in `overrides` only. */
async function copyColumns(client: postgres.Sql, table: string, except: string[]) {
  const rows = await client<{ column_name: string }[]>`select column_name from information_schema.columns
    where table_name = ${table} and table_schema = 'public' and is_generated = 'NEVER' and column_default is null`;
  return rows.map((r) => r.column_name).filter((c) => !except.includes(c));
}

type Partnership = { id: string; offer_id: string; merchant_id: string; publisher_id: string; link_id: string; currency: string };

async function seedOrganizations(client: postgres.Sql, db: Awaited<ReturnType<typeof openDatabase>>["db"]) {
  // One real offer and partnership, made as the app makes them, are the templates of the rest.
  const merchant = await createOrgWithOwner(db, "merchant");
  const publisher = await createOrgWithOwner(db, "publisher");
  const template = await createActiveOffer(db, merchant.tenant, { visibility: "public", title: "Template offer" });
  await applyToOffer(db, publisher.tenant, { offerId: template.id, message: "", answers: [], acceptTerms: true }, links);
  const templatePartnership = await findPartnership(db, template.id, publisher.organization.id);

  await client`insert into organizations (kind, name, slug, status)
    select 'merchant', 'Merchant ' || i, 'bench-merchant-' || i, 'active' from generate_series(1, ${MERCHANTS}) i`;
  await client`insert into organizations (kind, name, slug, status)
    select 'publisher', 'Publisher ' || i, 'bench-publisher-' || i, 'active' from generate_series(1, ${PUBLISHERS}) i`;
  const offerColumns = await copyColumns(client, "offers", ["merchant_id", "title", "currency"]);
  // One to three offers per merchant; one merchant in ten sells in euros.
  await client.unsafe(`insert into offers (merchant_id, title, currency, ${offerColumns.join(", ")})
    select m.id, m.name || ' offer ' || n, case when right(m.slug, 1) = '7' then 'EUR' else 'USD' end, ${offerColumns.map((c) => `t.${c}`).join(", ")}
    from organizations m cross join generate_series(1, 3) n cross join offers t
    where m.slug like 'bench-merchant-%' and t.id = '${template.id}' and n <= 1 + (hashtext(m.slug) & 3) % 3`);
  const offers = await client<{ id: string }[]>`select id from offers where title like 'Merchant %' order by id`;
  // Each publisher promotes a few offers, the popular ones more often: about 40,000 partnerships.
  const pairs = new Set<string>();
  const publishers = await client<{ id: string }[]>`select id from organizations where slug like 'bench-publisher-%' order by slug`;
  for (const p of publishers) {
    const count = 2 + skewed(30, 2);
    for (let i = 0; i < count; i++) pairs.add(`${offers[skewed(offers.length, 1.6)]!.id}:${p.id}`);
  }
  const partnershipColumns = await copyColumns(client, "partnerships", ["offer_id", "publisher_id"]);
  const list = [...pairs].map((pair) => pair.split(":"));
  for (let i = 0; i < list.length; i += 5_000) {
    const chunk = list.slice(i, i + 5_000);
    await client.unsafe(
      `insert into partnerships (offer_id, publisher_id, ${partnershipColumns.join(", ")})
      select x.offer_id, x.publisher_id, ${partnershipColumns.map((c) => `t.${c}`).join(", ")}
      from jsonb_to_recordset($1::text::jsonb) as x(offer_id uuid, publisher_id uuid) cross join partnerships t where t.id = '${templatePartnership.id}'`,
      [JSON.stringify(chunk.map(([offer_id, publisher_id]) => ({ offer_id, publisher_id })))],
    );
    progress("partnerships", Math.min(i + 5_000, list.length), list.length);
  }
  return client<Partnership[]>`select p.id, p.offer_id, o.merchant_id, p.publisher_id, l.id::text as link_id, o.currency
    from partnerships p join offers o on o.id = p.offer_id join tracking_links l on l.partnership_id = p.id
    where o.title like 'Merchant %' order by p.id`;
}

const COUNTRIES = ["US", "US", "US", "GB", "DE", "DE", "FR", "CA", "NL", "ES", "IT", "AU", "", ""];
const SUBS = ["", "", "", "newsletter", "search", "social", "banner", "video", "email-1", "email-2"];
const tsv = (v: string) => (v === "" ? "\\N" : v);

/** Clicks and their conversions as COPY text, a chunk of lines at a time, with the progress on stderr. */
async function copyClicks(client: postgres.Sql, partnerships: Partnership[]) {
  const now = Date.now();
  const conversions: string[] = [];
  let written = 0;
  async function* clickLines() {
    const chunk = 20_000;
    while (written < CLICKS) {
      const lines: string[] = [];
      const n = Math.min(chunk, CLICKS - written);
      for (let i = 0; i < n; i++) {
        const p = partnerships[skewed(partnerships.length, 2.2)]!;
        // More recent days a little busier (a growing network), evenings busier than nights.
        const dayAgo = Math.floor(DAYS * random() ** 1.3);
        const hour = Math.floor(24 * (0.5 + 0.5 * Math.sin(random() * Math.PI)));
        const at = new Date(now - dayAgo * 86_400_000 - ((hour * 3_600 + Math.floor(random() * 3_600)) % 86_400) * 1000);
        const clickId = randomUUID();
        const sub1 = SUBS[Math.floor(random() * SUBS.length)]!;
        const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)]!;
        const bot = random() < 0.03;
        const unique = !bot && random() < 0.8;
        lines.push(
          `${clickId}\t${at.toISOString()}\t${p.link_id}\t${p.id}\t${p.offer_id}\t${p.publisher_id}\t${p.merchant_id}\t${tsv(sub1)}\t${clickId.slice(0, 22)}\t${tsv(country)}\t${bot ? "t" : "f"}\t${unique ? "t" : "f"}\n`,
        );
        if (!bot && random() < CONVERSION_RATE) {
          const created = new Date(Math.min(now - 60_000, at.getTime() + Math.floor(random() * 86_400_000)));
          const sale = 1_000 + Math.floor(random() * 20_000);
          const commission = Math.round(sale * 0.08);
          const fee = Math.max(50, Math.round(commission * 0.2));
          const r = random();
          const status = r < 0.7 ? "approved" : r < 0.9 ? "pending" : r < 0.96 ? "rejected" : "reversed";
          conversions.push(
            `${p.merchant_id}\t${p.offer_id}\t${p.id}\t${p.publisher_id}\tclick\t${p.link_id}\t${clickId}\t${at.toISOString()}\torder-${clickId}\tsale\t${status}\t${sale}\t${commission}\t${fee}\t${commission + fee}\t${p.currency}\t${tsv(sub1)}\t${tsv(country)}\tt\t${clickId}\t${new Date(created.getTime() + 30 * 86_400_000).toISOString()}\t${created.toISOString()}\t${created.toISOString()}\n`,
          );
        }
      }
      written += n;
      progress("clicks", written, CLICKS);
      yield lines.join("");
    }
  }
  const clickCopy = await client
    .unsafe(
      "copy clicks (click_id, clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id, sub1, ip_hmac, country, is_bot, is_unique) from stdin",
    )
    .writable();
  await pipeline(Readable.from(clickLines()), clickCopy);
  async function* conversionLines() {
    for (let i = 0; i < conversions.length; i += 20_000) {
      progress("conversions", Math.min(i + 20_000, conversions.length), conversions.length);
      yield conversions.slice(i, i + 20_000).join("");
    }
  }
  const conversionCopy = await client
    .unsafe(
      `copy conversions (merchant_id, offer_id, partnership_id, publisher_id, attributed_by, link_id, click_id, clicked_at, order_id, event,
        status, sale_amount_minor, commission_minor, fee_minor, merchant_cost_minor, currency, sub1, click_country, click_found,
        request_fingerprint, validation_ends_at, created_at, screened_at) from stdin`,
    )
    .writable();
  await pipeline(Readable.from(conversionLines()), conversionCopy);
  return conversions.length;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error("bench:reports needs DATABASE_URL (a PostgreSQL server it may create a database on)");
  const database = await createServerDatabase(server, "sb_bench_");
  const handle = await openDatabase({ url: database.url, migrate: true, poolSize: 4 });
  const client = postgres(database.url, { max: 2, onnotice: () => {} });
  try {
    const db = handle.db;
    const [{ version } = { version: "" }] = await client<{ version: string }[]>`select version()`;
    console.log(
      `report benchmark on ${version.split(",")[0]}: ${fmt(CLICKS)} clicks, ${MERCHANTS} merchants, ${fmt(PUBLISHERS)} publishers, ${DAYS} days`,
    );
    const partnerships = await timed("organizations, offers and partnerships", () => seedOrganizations(client, db));
    console.log(`  ${fmt(partnerships.length)} partnerships`);
    const converted = await timed("clicks and conversions (COPY)", () => copyClicks(client, partnerships));
    console.log(`  ${fmt(converted)} conversions`);
    await timed("rollups (report_rollups_rebuild, the migration's backfill)", () => rebuildRollups(db));
    await client`vacuum analyze report_hours, report_detail_hours, report_merchant_days`;
    const sizes = await selectRows<{ name: string; rows: string }>(
      db,
      sql`select 'report_hours' as name, count(*)::text as rows from report_hours union all
        select 'report_detail_hours', count(*)::text from report_detail_hours union all
        select 'report_merchant_days', count(*)::text from report_merchant_days`,
    );
    console.log(`  ${sizes.map((s) => `${s.name}: ${fmt(Number(s.rows))} rows`).join(", ")}`);

    // Organizations picked by their share of clicks: the biggest ones come up most, as their people read most.
    const weights = await selectRows<{ id: string; kind: "merchant" | "publisher"; clicks: string }>(
      db,
      sql`select merchant_id::text as id, 'merchant' as kind, sum(clicks)::text as clicks from report_merchant_days group by 1
        union all select publisher_id::text, 'publisher', sum(clicks)::text from report_hours group by 1`,
    );
    const pickOrg = (kind: "merchant" | "publisher") => {
      const list = weights.filter((w) => w.kind === kind);
      const total = list.reduce((a, w) => a + Number(w.clicks), 0);
      let r = random() * total;
      for (const w of list) if ((r -= Number(w.clicks)) <= 0) return w.id;
      return list[0]!.id;
    };
    const staff = await createStaffUser(db, {
      email: `bench-${randomUUID()}@example.com`,
      password: "bench passphrase 2026",
      name: "Bench",
    });
    const today = dayIn("America/New_York", new Date());

    console.log(`\n${REPS} runs per query (merchant and publisher days in America/New_York, staff in UTC)`);
    console.log(`${"query".padEnd(34)} ${"range".padStart(5)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}  verdict`);
    const misses: string[] = [];
    for (const viewer of ["merchant", "publisher", "staff"] as ReportViewer[]) {
      for (const days of [30, 365]) {
        for (const by of REPORT_BREAKDOWNS[viewer]) {
          const samples: number[] = [];
          for (let i = 0; i < REPS; i++) {
            const query: ReportQuery = {
              preset: "custom",
              from: addDays(today, -(days - 1)),
              to: today,
              timeZone: viewer === "staff" ? "UTC" : "America/New_York",
              by,
              sort: "clicks",
              dir: "desc",
            };
            const scope =
              viewer === "staff"
                ? staffReportScope(staff)
                : tenantReportScope({ organization: { id: pickOrg(viewer), kind: viewer } } as Tenant);
            const started = performance.now();
            await readReportTable(db, scope, query);
            samples.push(performance.now() - started);
          }
          samples.sort((a, b) => a - b);
          const p95 = percentile(samples, 95);
          const verdict = p95 < AIM_MS ? "met (aim too)" : p95 < TARGET_MS ? "met" : "MISSED";
          if (p95 >= TARGET_MS) misses.push(`${viewer} by ${by} over ${days} days`);
          console.log(
            `${`${viewer} by ${by}`.padEnd(34)} ${`${days}d`.padStart(5)} ${percentile(samples, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}  ${verdict}`,
          );
        }
      }
    }
    console.log(misses.length ? `\np95 < ${TARGET_MS} ms missed by: ${misses.join("; ")}` : `\nevery query's p95 < ${TARGET_MS} ms`);
  } finally {
    await client.end();
    await handle.close();
    await database.drop();
  }
}

await main();
