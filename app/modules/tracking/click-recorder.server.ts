import { createHmac } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import type { BatchWriter } from "./batch-writer.server";
import { DAY_SECONDS } from "~/lib/time";

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

/** The process's click buffer: the redirect adds, batches are written by writeClicks. */
export type ClickRecorder = BatchWriter<ClickRecord>;

/**
 * Writes clicks as one transaction: which are unique (across instances, through click_uniques), the
 * rows, and their daily counts; then copies click details onto conversions that were waiting for them.
 */
export async function writeClicks(db: Database, batch: ClickRecord[], ipKey: Buffer) {
  const rows = batch.map((click) => ({
    ...click,
    ipHmac: createHmac("sha256", ipKey).update(click.ip).digest("base64url"),
    clickedAt: new Date(click.clickedAt * 1000).toISOString(),
  }));
  // The first human click of each (link, address) in the batch may be unique; later ones in the same batch are not.
  const candidates = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = `${row.linkId}:${row.ipHmac}`;
    if (!row.isBot && !candidates.has(key)) candidates.set(key, row);
  }
  await db.transaction(async (tx) => {
    const unique = new Set<string>();
    if (candidates.size) {
      const wanted = JSON.stringify([...candidates.values()].map((r) => ({ link_id: r.linkId, ip_hmac: r.ipHmac, at: r.clickedAt })));
      const settled = await selectRows<{ link_id: string | number; ip_hmac: string }>(
        tx,
        sql`
        insert into click_uniques (link_id, ip_hmac, unique_at)
        select link_id, ip_hmac, at from json_to_recordset(${wanted}::json) as x(link_id bigint, ip_hmac text, at timestamptz)
        on conflict (link_id, ip_hmac) do update set unique_at = excluded.unique_at
          where click_uniques.unique_at <= excluded.unique_at - make_interval(secs => ${DAY_SECONDS})
        returning link_id, ip_hmac`,
      );
      for (const row of settled) unique.add(`${row.link_id}:${row.ip_hmac}`);
    }
    const clicks = JSON.stringify(
      rows.map((r) => {
        const key = `${r.linkId}:${r.ipHmac}`;
        const isUnique = candidates.get(key) === r && unique.has(key);
        return {
          click_id: r.clickId,
          clicked_at: r.clickedAt,
          link_id: r.linkId,
          partnership_id: r.partnershipId,
          offer_id: r.offerId,
          publisher_id: r.publisherId,
          merchant_id: r.merchantId,
          sub1: r.sub1,
          sub2: r.sub2,
          sub3: r.sub3,
          sub4: r.sub4,
          sub5: r.sub5,
          ip_hmac: r.ipHmac,
          user_agent: r.userAgent,
          referrer: r.referrer,
          country: r.country,
          is_bot: r.isBot,
          is_unique: isUnique,
        };
      }),
    );
    await tx.execute(sql`
      with batch as (
        select * from json_to_recordset(${clicks}::json) as x(
          click_id text, clicked_at timestamptz, link_id bigint, partnership_id uuid, offer_id uuid, publisher_id uuid,
          merchant_id uuid, sub1 text, sub2 text, sub3 text, sub4 text, sub5 text, ip_hmac text, user_agent text,
          referrer text, country char(2), is_bot boolean, is_unique boolean)
      ), inserted as (
        insert into clicks (click_id, clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id,
          sub1, sub2, sub3, sub4, sub5, ip_hmac, user_agent, referrer, country, is_bot, is_unique)
        select click_id, clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id,
          sub1, sub2, sub3, sub4, sub5, ip_hmac, user_agent, referrer, country, is_bot, is_unique from batch
        on conflict do nothing
        returning clicked_at, link_id, partnership_id, offer_id, publisher_id, merchant_id, is_bot, is_unique
      )
      insert into click_daily (day, partnership_id, link_id, offer_id, publisher_id, merchant_id, clicks, unique_clicks, bot_clicks)
      select (clicked_at at time zone 'UTC')::date, partnership_id, link_id, offer_id, publisher_id, merchant_id,
        count(*), count(*) filter (where is_unique), count(*) filter (where is_bot)
      from inserted
      group by 1, 2, 3, 4, 5, 6
      on conflict (partnership_id, day) do update set
        clicks = click_daily.clicks + excluded.clicks,
        unique_clicks = click_daily.unique_clicks + excluded.unique_clicks,
        bot_clicks = click_daily.bot_clicks + excluded.bot_clicks`);
  });
  await copyClickDetails(db, sql`c.click_id = any(${sqlTextArray(batch.map((click) => click.clickId))})`);
}

/**
 * Copies a click row's sub ids and details onto the conversions it attributed, among those `which`
 * selects: at the conversion when the row is already written, else by the batch that writes it.
 */
export async function copyClickDetails(db: Pick<Database, "execute">, which: SQL) {
  await db.execute(sql`
    update conversions c set sub1 = k.sub1, sub2 = k.sub2, sub3 = k.sub3, sub4 = k.sub4, sub5 = k.sub5,
      click_country = k.country, click_ip_hmac = k.ip_hmac, click_user_agent = k.user_agent, click_found = true
    from clicks k
    where ${which} and not c.click_found and k.click_id = c.click_id and k.clicked_at = c.clicked_at`);
}

/** A text[] parameter both drivers bind the same way: one JSON string, unpacked by the database. */
function sqlTextArray(values: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
