import { sql, type SQL } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { reportDetailHours, reportHours, reportMerchantDays } from "#db/schema";

/**
 * The rollups reports read (report_hours, report_detail_hours, report_merchant_days) are kept exact by
 * the statements that change what they add up: a click batch adds its clicks, fraud screening adds
 * the conversions it lets in, a rejection or reversal takes them out. All of them go through
 * rollupUpserts, so a click and a conversion are added up the same way the backfill does.
 */

/** The measures a source row carries, in the rollups' column order. */
const MEASURES = ["clicks", "unique_clicks", "conversions", "sale_minor", "commission_minor", "fee_minor", "merchant_cost_minor"];

const sums = sql.raw(MEASURES.map((m) => `sum(${m})`).join(", "));
const columns = sql.raw(MEASURES.join(", "));
const added = (table: string) => sql.raw(MEASURES.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(", "));

/**
 * CTEs (after a leading comma) that add the rows of `source` to the three rollups. `source` names a
 * CTE with columns hour (a UTC hour), partnership_id, currency, offer_id, merchant_id, publisher_id,
 * sub1, country ('' when none) and the measures. Rows go in key order, so two statements upserting
 * the same rollup rows lock them in the same order (no deadlock between a click batch and screening).
 */
function rollupUpserts(source: SQL): SQL {
  return sql`, rollup_details as (
      insert into ${reportDetailHours} (hour, partnership_id, currency, offer_id, merchant_id, publisher_id, sub1, country, ${columns})
      select hour, partnership_id, currency, offer_id, merchant_id, publisher_id, sub1, country, ${sums}
      from ${source} as s group by 1, 2, 3, 4, 5, 6, 7, 8 order by 2, 3, 1, 7, 8
      on conflict (partnership_id, currency, hour, sub1, country) do update set ${added("report_detail_hours")}
      returning 1
    ), rollup_hours as (
      insert into ${reportHours} (hour, partnership_id, currency, offer_id, merchant_id, publisher_id, ${columns})
      select hour, partnership_id, currency, offer_id, merchant_id, publisher_id, ${sums}
      from ${source} as s group by 1, 2, 3, 4, 5, 6 order by 2, 3, 1
      on conflict (partnership_id, currency, hour) do update set ${added("report_hours")}
      returning 1
    ), rollup_days as (
      insert into ${reportMerchantDays} (day, merchant_id, currency, ${columns})
      select (hour at time zone 'UTC')::date, merchant_id, currency, ${sums}
      from ${source} as s group by 1, 2, 3 order by 2, 3, 1
      on conflict (merchant_id, currency, day) do update set ${added("report_merchant_days")}
      returning 1
    )`;
}

/**
 * CTEs (after a leading comma) adding a click batch to the rollups, for the click recorder's one
 * statement: `inserted` names its CTE of written clicks. Every click counts, bots too, as click_daily
 * counts them (the dashboards' click figures); only human clicks are ever unique.
 */
export function clickRollupUpserts(inserted: SQL): SQL {
  return sql`, click_rows as (
      select date_trunc('hour', i.clicked_at, 'UTC') as hour, i.partnership_id, o.currency, i.offer_id, i.merchant_id, i.publisher_id,
        coalesce(i.sub1, '') as sub1, coalesce(i.country::text, '') as country,
        1 as clicks, case when i.is_unique then 1 else 0 end as unique_clicks, 0 as conversions,
        0::bigint as sale_minor, 0::bigint as commission_minor, 0::bigint as fee_minor, 0::bigint as merchant_cost_minor
      from ${inserted} i join offers o on o.id = i.offer_id
    )${rollupUpserts(sql`click_rows`)}`;
}

/** Rollup source columns of conversion-shaped rows `c`, with sub id and country given, times `sign`. */
function conversionColumns(sign: SQL, sub1: SQL, country: SQL) {
  return sql`date_trunc('hour', c.created_at, 'UTC') as hour, c.partnership_id, c.currency, c.offer_id, c.merchant_id, c.publisher_id,
    coalesce(${sub1}, '') as sub1, coalesce(${country}::text, '') as country,
    0 as clicks, 0 as unique_clicks, ${sign} as conversions, ${sign} * c.sale_amount_minor as sale_minor,
    ${sign} * c.commission_minor as commission_minor, ${sign} * c.fee_minor as fee_minor, ${sign} * c.merchant_cost_minor as merchant_cost_minor`;
}

/**
 * Adds conversions to the rollups (sign 1) or takes them out (-1), at their creation hour, in the
 * caller's transaction. Adding takes those that earn (pending or approved, not a test); the caller
 * of a removal names only conversions it just moved out of earning.
 */
async function moveConversions(tx: Database, ids: string[], sign: 1 | -1) {
  if (ids.length === 0) return;
  const earning = sign === 1 ? sql`and c.status in ('pending', 'approved') and not c.is_test` : sql``;
  await tx.execute(sql`
    with conversion_rows as (
      select ${conversionColumns(sql`${sign}::int`, sql`c.sub1`, sql`c.click_country`)}
      from conversions c
      where c.id = any(${sqlTextArray(ids)}::uuid[]) ${earning}
    )${rollupUpserts(sql`conversion_rows`)}
    select 1`);
}

/**
 * CTEs (after a leading comma) moving conversions whose click details arrived after screening to
 * their sub id and country in report_detail_hours: `copied` names a CTE of the conversions' rows as
 * they were (c.*), with the click's sub1 and country as click_sub1 and click_country_new. Only
 * those counted (screened and earning) move; the hourly and daily rows change by nothing.
 */
export function copiedDetailRollupUpserts(copied: SQL): SQL {
  const counted = sql`c.screened_at is not null and c.status in ('pending', 'approved') and not c.is_test`;
  return sql`, detail_moves as (
      select ${conversionColumns(sql`-1`, sql`c.sub1`, sql`c.click_country`)} from ${copied} c where ${counted}
      union all
      select ${conversionColumns(sql`1`, sql`c.click_sub1`, sql`c.click_country_new`)} from ${copied} c where ${counted}
    )${rollupUpserts(sql`detail_moves`)}`;
}

/** Screened conversions enter the reports: those of `ids` that earn (pending or approved, not a test). */
export function addScreenedConversions(tx: Database, ids: string[]) {
  return moveConversions(tx, ids, 1);
}

/** Screened, non-test conversions that just stopped earning (rejected or reversed) leave the reports. */
export function removeStoppedConversions(tx: Database, ids: string[]) {
  return moveConversions(tx, ids, -1);
}

/**
 * Rebuilds the three rollups from the clicks and conversions there are, with the database function
 * the migration's backfill made (report_rollups_rebuild); the benchmark builds its rollups with it.
 */
export async function rebuildRollups(db: Database) {
  await db.execute(sql`select report_rollups_rebuild()`);
}
