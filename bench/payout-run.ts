/**
 * Payout run benchmark: a fresh PostgreSQL database with one merchant and 5,000 active publishers,
 * each with payout settings and a partnership, and 4 approved conversions per publisher billed on a
 * paid merchant invoice (all written set-based: rows by generate_series, approvals by the lifecycle's
 * own batches). Times one runPayouts (the set-based statement, one owners' notice job per payout, the
 * audit entry: one transaction), then reconciles the ledger. Prints figures only.
 *   DATABASE_URL=postgres://… npx tsx bench/payout-run.ts [--publishers 5000] [--conversions-per-publisher 4]
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payoutCreatedNotice } from "#db/jobs/queues";
import { insertInvoiceFor } from "#tests/support/billing-rows";
import { createServerDatabase } from "#tests/support/database";
import { createOrgWithOwner } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { feeSnapshot, termsSnapshot } from "#tests/support/tracking-rows";
import { checkLedger } from "~/modules/ledger/check.server";
import { runPayouts } from "~/modules/payouts/run.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { count, machine } from "./tracking-bench";

const { values } = parseArgs({
  options: {
    publishers: { type: "string", default: "5000" },
    "conversions-per-publisher": { type: "string", default: "4" },
  },
});
const PUBLISHERS = Number(values.publishers);
const PER_PUBLISHER = Number(values["conversions-per-publisher"]);
const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The publishers, their owners, payout settings and partnerships on the offer, each table in one statement. */
async function seedPublishers(db: Database, offerId: string, publishers: number) {
  await db.execute(sql`
    with org as (
      insert into organizations (kind, name, slug, status)
      select 'publisher', 'Bench publisher ' || g, 'bench-publisher-' || g, 'active' from generate_series(1, ${publishers}::int) g
      returning id, slug
    ), person as (
      insert into users (email, name, password_hash, email_verified_at)
      select org.slug || '@bench.example', 'Owner of ' || org.slug, 'not-a-hash', now() from org
      returning id, email
    ), member as (
      insert into memberships (organization_id, user_id, role)
      select org.id, person.id, 'owner' from org join person on person.email = org.slug || '@bench.example'
    ), settings as (
      insert into payout_settings (publisher_id, method, details)
      select id, 'bank_transfer', jsonb_build_object('accountHolder', slug, 'iban', 'DE89370400440532013000', 'swift', 'COBADEFFXXX') from org
    )
    insert into partnerships (offer_id, publisher_id, status) select ${offerId}::uuid, id, 'active' from org`);
}

/** Due, screened, pending conversions: commission 15.00 to 24.00, fee 20% of it. */
async function insertConversions(db: Database, perPublisher: number) {
  const past = new Date(Date.now() - 40 * 86_400_000).toISOString();
  await db.execute(sql`
    with p as (
      select p.id, p.offer_id, p.publisher_id, o.merchant_id, o.currency, l.id as link_id
      from partnerships p join offers o on o.id = p.offer_id join tracking_links l on l.partnership_id = p.id
    ), rows as (
      select p.*, g, 1500 + ((hashtext(p.id::text || g) & 1023) % 10) * 100 as commission
      from p cross join generate_series(1, ${perPublisher}::int) g
    )
    insert into conversions (merchant_id, offer_id, partnership_id, publisher_id, attributed_by, link_id, click_id, clicked_at,
      order_id, event, status, sale_amount_minor, commission_minor, fee_minor, merchant_cost_minor, currency, terms_snapshot,
      fee_snapshot, request_fingerprint, screened_at, validation_ends_at, created_at, status_changed_at)
    select merchant_id, offer_id, id, publisher_id, 'click', link_id, 'bench-' || id || '-' || g, ${past}::timestamptz,
      'bench-' || id || '-' || g, 'sale', 'pending', commission * 10, commission, commission / 5, commission + commission / 5, currency,
      ${JSON.stringify(termsSnapshot)}::jsonb, ${JSON.stringify(feeSnapshot)}::jsonb, md5(id::text || g),
      ${past}::timestamptz, now() - interval '1 day', ${past}::timestamptz, ${past}::timestamptz
    from rows`);
}

console.log("Payout run benchmark: one runPayouts over publishers with approved, invoice-paid conversions, against PostgreSQL");
console.log(`machine: ${machine()}`);
const database = await createServerDatabase(SERVER, "sb_bench_");
const handle = await openDatabase({ url: database.url, poolSize: 4, migrate: true });
try {
  const { db } = handle;
  const [version] = await selectRows<{ version: string }>(db, sql`select current_setting('server_version') as version`);
  console.log(`database: PostgreSQL ${version!.version} (a fresh database, dropped after)`);
  const seeding = performance.now();
  const merchant = await createOrgWithOwner(db, "merchant");
  const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public" });
  await seedPublishers(db, offer.id, PUBLISHERS);
  await insertConversions(db, PER_PUBLISHER);
  const { approved } = await approveDueConversions(db, new Date(), 5_000);
  const approvedIds = await selectRows<{ id: string }>(db, sql`select id from conversions where status = 'approved'`);
  await insertInvoiceFor(
    db,
    approvedIds.map((r) => r.id),
    "paid",
  );
  await db.execute(sql`analyze`);
  console.log(
    `data: ${count(PUBLISHERS)} publishers with payout settings, ${count(approved)} approved conversions on one paid invoice, ` +
      `seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  const started = performance.now();
  const result = await runPayouts(db, null);
  const seconds = (performance.now() - started) / 1000;
  const [notices] = await selectRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pgboss.job where name = ${payoutCreatedNotice.name}`,
  );
  console.log(
    `\npayout run: ${count(result.publishers)} publishers paid, ${count(result.payouts)} payouts, ${count(result.items)} items, ` +
      `${count(result.skipped.length)} skipped, ${count(notices!.n)} owner notices queued, in ${seconds.toFixed(2)} s (one transaction)`,
  );
  const report = await checkLedger(db);
  console.log(`ledger check: ${report.ok ? "clean" : `${report.differences.length} differences`}`);
} finally {
  await handle.close();
  await database.drop();
}
