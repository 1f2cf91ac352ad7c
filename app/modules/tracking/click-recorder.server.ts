import { createHmac } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { sqlTextArray } from "#db/sql-arrays";
import type { BatchWriter } from "./batch-writer.server";
import { DAY_SECONDS } from "~/lib/time";
import { clickRollupUpserts, copiedDetailRollupUpserts } from "../reports/rollups.server";

/** One click as the redirect saw it; the address is HMACed when the batch is written, never stored. */
export type ClickRecord = {
  clickId: string;
  clickedAt: number;
  linkId: number;
  partnershipId: string;
  offerId: string;
  publisherId: string;
  merchantId: string;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  ip: string;
  userAgent: string | null;
  referrer: string | null;
  country: string | null;
  isBot: boolean;
};

/** What is stored of a client address, for clicks and log-ins alike: HMAC-SHA256 under the IP key, base64url. */
export function addressHmac(ipKey: Buffer, ip: string): string {
  return createHmac("sha256", ipKey).update(ip).digest("base64url");
}

/** The process's click buffer: the redirect adds, batches are written by writeClicks. */
export type ClickRecorder = BatchWriter<ClickRecord>;

/**
 * Writes clicks in one statement (so one transaction): which are unique (across instances, through
 * click_uniques), the rows, and their daily counts; then, in a second, copies click details onto
 * conversions that were waiting for them (screening waits for those, or two minutes).
 */
export async function writeClicks(db: Database, batch: ClickRecord[], ipKey: Buffer) {
  // One JSON parameter in the columns' own names: the rows are built once, and parsed once by the database.
  const rows = JSON.stringify(
    batch.map((click) => ({
      click_id: click.clickId,
      clicked_at: click.clickedAt,
      link_id: click.linkId,
      partnership_id: click.partnershipId,
      offer_id: click.offerId,
      publisher_id: click.publisherId,
      merchant_id: click.merchantId,
      sub1: click.sub1,
      sub2: click.sub2,
      sub3: click.sub3,
      sub4: click.sub4,
      sub5: click.sub5,
      ip_hmac: addressHmac(ipKey, click.ip),
      user_agent: click.userAgent,
      referrer: click.referrer,
      country: click.country,
      is_bot: click.isBot,
    })),
  );
  // One statement, so one transaction: the first human click per (link, address) in the batch is a
  // candidate; it is unique when the upsert of click_uniques takes it (no unique click there in the
  // last 24 hours, row-locked across instances); the clicks go in; their day's counts and the report
  // rollups go up.
  await db.execute(sql`
    with batch as (
      select *, row_number() over () as position from json_to_recordset(${rows}::json) as x(
        click_id text, clicked_at bigint, link_id bigint, partnership_id uuid, offer_id uuid, publisher_id uuid,
        merchant_id uuid, sub1 text, sub2 text, sub3 text, sub4 text, sub5 text, ip_hmac text, user_agent text,
        referrer text, country char(2), is_bot boolean)
    ), candidates as (
      select distinct on (link_id, ip_hmac) position, link_id, ip_hmac, to_timestamp(clicked_at) as at
      from batch where not is_bot order by link_id, ip_hmac, position
    ), settled as (
      insert into click_uniques (link_id, ip_hmac, unique_at)
      select link_id, ip_hmac, at from candidates
      on conflict (link_id, ip_hmac) do update set unique_at = excluded.unique_at
        where click_uniques.unique_at <= excluded.unique_at - make_interval(secs => ${DAY_SECONDS})
      returning link_id, ip_hmac
    ), inserted as (
      insert into clicks (click_id, clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id,
        sub1, sub2, sub3, sub4, sub5, ip_hmac, user_agent, referrer, country, is_bot, is_unique)
      select b.click_id, to_timestamp(b.clicked_at), b.link_id, b.partnership_id, b.offer_id, b.publisher_id, b.merchant_id,
        b.sub1, b.sub2, b.sub3, b.sub4, b.sub5, b.ip_hmac, b.user_agent, b.referrer, b.country, b.is_bot,
        exists (select 1 from candidates c join settled s using (link_id, ip_hmac) where c.position = b.position)
      from batch b
      on conflict do nothing
      returning clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id, sub1, country, is_bot, is_unique
    )${clickRollupUpserts(sql`inserted`)}
    insert into click_daily (day, partnership_id, link_id, offer_id, publisher_id, merchant_id, clicks, unique_clicks, bot_clicks)
    select (clicked_at at time zone 'UTC')::date, partnership_id, link_id, offer_id, publisher_id, merchant_id,
      count(*), count(*) filter (where is_unique), count(*) filter (where is_bot)
    from inserted
    group by 1, 2, 3, 4, 5, 6
    on conflict (partnership_id, day) do update set
      clicks = click_daily.clicks + excluded.clicks,
      unique_clicks = click_daily.unique_clicks + excluded.unique_clicks,
      bot_clicks = click_daily.bot_clicks + excluded.bot_clicks`);
  await copyClickDetails(db, sql`c.click_id = any(${sqlTextArray(batch.map((click) => click.clickId))})`);
}

/**
 * Copies a click row's sub ids and details onto the conversions it attributed, among those `which`
 * selects: at the conversion when the row is already written, else by the batch that writes it.
 * A conversion already in the reports (its click row came after screening) moves to its sub id and
 * country there in the same statement.
 */
export async function copyClickDetails(db: Pick<Database, "execute">, which: SQL) {
  await db.execute(sql`
    with copied as (
      select c.*, k.sub1 as click_sub1, k.sub2 as click_sub2, k.sub3 as click_sub3, k.sub4 as click_sub4, k.sub5 as click_sub5,
        k.country as click_country_new, k.ip_hmac as click_ip_hmac_new, k.user_agent as click_user_agent_new
      from conversions c join clicks k on k.click_id = c.click_id and k.clicked_at = c.clicked_at
      where ${which} and not c.click_found
      for update of c
    ), updated as (
      update conversions c set sub1 = d.click_sub1, sub2 = d.click_sub2, sub3 = d.click_sub3, sub4 = d.click_sub4,
        sub5 = d.click_sub5, click_country = d.click_country_new, click_ip_hmac = d.click_ip_hmac_new,
        click_user_agent = d.click_user_agent_new, click_found = true
      from copied d
      where c.id = d.id
      returning c.id
    )${copiedDetailRollupUpserts(sql`copied`)}
    select count(*) from updated`);
}
