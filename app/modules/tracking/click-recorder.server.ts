import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { isDataError } from "./data-errors";

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

export type ClickRecorderOptions = {
  ipKey: Buffer;
  /** Rows per transaction: small on the embedded database, where a write blocks the event loop. */
  batchSize: number;
  flushEveryMs: number;
  /** Clicks held while the database is unreachable; past it the oldest are dropped and counted. */
  maxBuffered: number;
  onError: (error: unknown) => void;
};

const UNIQUE_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * Buffers clicks and writes them in batches off the request path: each batch is one transaction
 * that settles which clicks are unique (across instances, through click_uniques), inserts the rows
 * and adds them to the daily counts. A batch that fails goes back to the front and is retried.
 */
export function createClickRecorder(db: Database, options: ClickRecorderOptions) {
  let buffer: ClickRecord[] = [];
  let flushing: Promise<void> | null = null;
  let failures = 0;
  const stats = { accepted: 0, written: 0, dropped: 0 };

  const writeBatch = (batch: ClickRecord[]) => writeClicks(db, batch, options.ipKey);

  /** A batch the database refuses as data is written click by click, and a click it refuses alone is dropped. */
  async function writeEachAlone(batch: ClickRecord[]) {
    for (const click of batch) {
      try {
        await writeBatch([click]);
        stats.written++;
      } catch (error) {
        if (!isDataError(error)) throw error;
        stats.dropped++;
        options.onError(error);
      }
    }
  }

  async function flushOnce() {
    const batch = buffer.slice(0, options.batchSize);
    try {
      try {
        await writeBatch(batch);
        stats.written += batch.length;
      } catch (error) {
        if (!isDataError(error)) throw error;
        await writeEachAlone(batch);
      }
      buffer = buffer.slice(batch.length);
      failures = 0;
    } catch (error) {
      failures++;
      options.onError(error);
      throw error;
    }
  }

  /** Writes everything buffered, batch by batch, yielding between batches so requests get a turn. */
  async function drain() {
    while (buffer.length) {
      await flushOnce();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function flush(): Promise<void> {
    flushing ??= drain()
      .catch(() => undefined)
      .finally(() => (flushing = null));
    return flushing;
  }

  let nextRetryAt = 0;
  const timer = setInterval(() => {
    if (!buffer.length || flushing || Date.now() < nextRetryAt) return;
    void flush().then(() => {
      if (failures) nextRetryAt = Date.now() + Math.min(30_000, 250 * 2 ** failures);
    });
  }, options.flushEveryMs);
  timer.unref();

  return {
    record(click: ClickRecord) {
      stats.accepted++;
      if (buffer.length >= options.maxBuffered) {
        buffer.shift();
        stats.dropped++;
      }
      buffer.push(click);
    },
    /** Waits for what is buffered now to be written (or to fail once). */
    async flush() {
      await flushing;
      await flush();
    },
    get buffered() {
      return buffer.length;
    },
    stats,
    /** Stops the timer and writes what is left, retrying a failed batch a few times. */
    async close() {
      clearInterval(timer);
      await flushing;
      for (let attempt = 0; attempt < 5 && buffer.length; attempt++) {
        await flush();
        if (buffer.length) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    },
  };
}

export type ClickRecorder = ReturnType<typeof createClickRecorder>;

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
          where click_uniques.unique_at <= excluded.unique_at - make_interval(secs => ${UNIQUE_WINDOW_SECONDS})
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
  await fillWaitingConversions(
    db,
    batch.map((click) => click.clickId),
  );
}

/**
 * A conversion reported before its click row was written carries only the click id; once the row
 * exists, its sub ids and click details are copied onto the conversion.
 */
async function fillWaitingConversions(db: Database, clickIds: string[]) {
  await db.execute(sql`
    update conversions c set sub1 = k.sub1, sub2 = k.sub2, sub3 = k.sub3, sub4 = k.sub4, sub5 = k.sub5,
      click_country = k.country, click_ip_hmac = k.ip_hmac, click_user_agent = k.user_agent, click_found = true
    from clicks k
    where not c.click_found and c.click_id is not null and c.click_id = any(${sqlTextArray(clickIds)})
      and k.click_id = c.click_id and k.clicked_at = c.clicked_at`);
}

/** A text[] parameter both drivers bind the same way: one JSON string, unpacked by the database. */
export function sqlTextArray(values: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
