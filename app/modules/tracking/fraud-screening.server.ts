import { sql } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { enqueueJob } from "#db/jobs/enqueue";
import { selectRows } from "#db/jobs/executors";
import { conversionScreening } from "#db/jobs/queues";
import type { FraudSignal } from "#db/schema";
import { clip } from "~/lib/clean-text";
import { countryName } from "~/lib/countries";
import type { FraudSignalCode } from "~/lib/labels";
import { isBotUserAgent } from "./bots";
import { currentFraudSettings, type FraudSettings } from "./fraud-settings.server";
import { queuePostbackDeliveries } from "../publisher-postbacks/deliveries.server";
import { formatCount } from "~/lib/counts";
import { changeConversions } from "./lifecycle.server";
import { copyClickDetails } from "./click-recorder.server";
import { addScreenedConversions } from "../reports/rollups.server";

/** Conversions screened per transaction: the batch's rows stay locked only for a few short queries. */
const SCREENING_BATCH = 500;
/**
 * Clicks are written in batches after the redirect, so a postback can come before its click row; a
 * conversion waits this long for it, then is screened with what there is.
 */
const CLICK_ROW_WAIT_MS = 2 * 60 * 1000;
/** The longest user agent an evidence sentence quotes. */
const QUOTED_USER_AGENT = 120;

/** Who screening's holds are by, in the conversion's history. */
export const SCREENING_ACTOR = { kind: "job", label: "Fraud screening" } as const;

type Candidate = {
  id: string;
  status: string;
  hold: string;
  merchant_id: string;
  publisher_id: string;
  publisher_name: string;
  /** bigint and timestamps as text, the same from both drivers, passed back to the signal queries as they came. */
  link_id: string | null;
  clicked_at: string | null;
  created_at: string;
  order_id: string;
  click_found: boolean;
  is_test: boolean;
  /** Whole seconds from the click to the conversion; null without a click. */
  seconds_to_convert: number | null;
  click_ip_hmac: string | null;
  click_user_agent: string | null;
  customer_country: string | null;
  /** How the offer's country rules refuse the customer's country, or null when they do not. */
  country_refusal: "include" | "exclude" | null;
};

type Found = Map<string, FraudSignal[]>;

function add(found: Found, id: string, code: FraudSignalCode, evidence: string) {
  const list = found.get(id);
  if (list) list.push({ code, evidence });
  else found.set(id, [{ code, evidence }]);
}

/** The signals read from the conversion's own row: how fast it came, its user agent, the customer's country. */
function rowSignals(found: Found, rows: Candidate[], settings: FraudSettings) {
  for (const c of rows) {
    if (c.seconds_to_convert !== null) {
      // A click id signed on an instance whose clock runs ahead can carry a time a moment after its conversion.
      const seconds = Math.max(0, c.seconds_to_convert);
      if (seconds < settings.minClickSeconds) {
        add(
          found,
          c.id,
          "fast_conversion",
          `Converted ${formatCount(seconds)} s after the click (threshold ${formatCount(settings.minClickSeconds)} s).`,
        );
      }
    }
    // Only a written click row says what the user agent was; without it there is nothing to judge.
    if (c.click_found && isBotUserAgent(c.click_user_agent)) {
      const agent = c.click_user_agent?.trim() ?? "";
      add(
        found,
        c.id,
        "bot_user_agent",
        agent
          ? `The click's user agent is a known bot or tool: "${clip(agent, QUOTED_USER_AGENT)}".`
          : "The click came with no user agent; browsers always send one.",
      );
    }
    if (c.customer_country && c.country_refusal) {
      const rule = c.country_refusal === "exclude" ? "which the offer excludes" : "which the offer does not accept";
      add(found, c.id, "excluded_country", `The merchant reported the customer in ${countryName(c.customer_country)}, ${rule}.`);
    }
  }
}

/** The batch as a recordset the signal queries join against. */
function batchOf(rows: Candidate[]) {
  const json = JSON.stringify(
    rows.map((c) => ({
      id: c.id,
      merchant_id: c.merchant_id,
      publisher_id: c.publisher_id,
      link_id: c.link_id,
      order_id: c.order_id,
      ip: c.click_ip_hmac,
      clicked_at: c.clicked_at,
      created_at: c.created_at,
    })),
  );
  return sql`json_to_recordset(${json}::json) as b(id uuid, merchant_id uuid, publisher_id uuid, link_id bigint, order_id text,
    ip text, clicked_at timestamptz, created_at timestamptz)`;
}

/**
 * The signals that compare a conversion with other rows, one query per signal for the whole batch:
 * clicks from its address on its link, its publisher's members' log-in addresses, the same order id
 * at other merchants, and other conversions from its address.
 */
async function relatedSignals(tx: Database, found: Found, rows: Candidate[], settings: FraudSettings) {
  const withAddress = rows.filter((c) => c.click_ip_hmac);
  const withClick = withAddress.filter((c) => c.link_id !== null && c.clicked_at);
  if (withClick.length) {
    // The outer time bounds let the planner skip click partitions outside the batch's hours.
    const floods = await selectRows<{ id: string; clicks: number }>(
      tx,
      sql`with b as (select * from ${batchOf(withClick)})
        select b.id, count(*)::int as clicks
        from b join clicks k on k.link_id = b.link_id and k.ip_hmac = b.ip
          and k.clicked_at > b.clicked_at - interval '1 hour' and k.clicked_at <= b.clicked_at
        where k.clicked_at > (select min(clicked_at) from b) - interval '1 hour' and k.clicked_at <= (select max(clicked_at) from b)
        group by b.id
        having count(*) > ${settings.maxClicksPerIpHour}`,
    );
    for (const f of floods) {
      add(
        found,
        f.id,
        "click_flood",
        `The click's address made ${formatCount(f.clicks)} clicks on this link in the hour up to it (threshold ${formatCount(settings.maxClicksPerIpHour)}).`,
      );
    }
  }
  if (withAddress.length) {
    const own = await selectRows<{ id: string }>(
      tx,
      sql`select distinct b.id
        from ${batchOf(withAddress)}
        join memberships m on m.organization_id = b.publisher_id
        join login_addresses a on a.user_id = m.user_id and a.ip_hmac = b.ip
          and a.last_seen_at >= b.created_at - make_interval(days => ${settings.selfTrafficDays})`,
    );
    const names = new Map(rows.map((c) => [c.id, c.publisher_name]));
    for (const o of own) {
      add(
        found,
        o.id,
        "self_traffic",
        `The click's address is one a member of ${names.get(o.id)} logged in from in the last ${settings.selfTrafficDays} days.`,
      );
    }
    const bursts = await selectRows<{ id: string; conversions: number }>(
      tx,
      sql`select b.id, count(*)::int as conversions
        from ${batchOf(withAddress)}
        join conversions o on o.click_ip_hmac = b.ip
          and o.created_at > b.created_at - make_interval(mins => ${settings.burstMinutes}) and o.created_at <= b.created_at
        group by b.id
        having count(*) > ${settings.burstConversions}`,
    );
    for (const b of bursts) {
      add(
        found,
        b.id,
        "conversion_burst",
        `${formatCount(b.conversions)} conversions from the click's address in ${formatCount(settings.burstMinutes)} minutes (threshold ${formatCount(settings.burstConversions)}).`,
      );
    }
  }
  // Test conversions are a merchant trying its integration: their order ids say nothing of another's.
  const repeated = await selectRows<{ id: string }>(
    tx,
    sql`select distinct b.id
      from ${batchOf(rows)}
      join conversions o on o.order_id = b.order_id and o.merchant_id <> b.merchant_id and not o.is_test and o.created_at <= b.created_at`,
  );
  const orders = new Map(rows.map((c) => [c.id, c.order_id]));
  for (const r of repeated) add(found, r.id, "duplicate_order", `Order ${orders.get(r.id)} was also reported to another merchant.`);
}

/**
 * One batch in one transaction: takes unscreened conversions no other pass holds (skipping those
 * whose click row may still come), finds the signals of the pending ones, marks the whole batch
 * screened and puts the flagged on hold through the lifecycle (which stores the signals and writes
 * the event). Conversions rejected at creation, or already decided, are only marked screened. Then
 * the publishers' postbacks for the new conversions are queued.
 */
async function screenBatch(db: Database, now: Date, batchSize: number, settings: FraudSettings) {
  return db.transaction(async (tx) => {
    // A click batch and a postback committing at the same moment each miss the other's row; both are
    // committed by now, so the copy they both missed is made here (rows another pass holds are its own).
    await copyClickDetails(
      tx,
      sql`c.id in (select id from conversions where screened_at is null and click_id is not null and not click_found
        for update skip locked)`,
    );
    const cutoff = new Date(now.getTime() - CLICK_ROW_WAIT_MS).toISOString();
    const batch = await selectRows<Candidate>(
      tx,
      sql`select c.id, c.status, c.hold, c.merchant_id, c.publisher_id, p.name as publisher_name, c.link_id::text as link_id,
          c.clicked_at::text as clicked_at, c.created_at::text as created_at, c.order_id, c.click_found, c.is_test,
          floor(extract(epoch from c.created_at - c.clicked_at))::int as seconds_to_convert,
          c.click_ip_hmac, c.click_user_agent, c.customer_country,
          case
            when c.customer_country is null then null
            when o.country_mode = 'exclude' and c.customer_country::text = any(o.countries) then 'exclude'
            when o.country_mode = 'include' and not (c.customer_country::text = any(o.countries)) then 'include'
          end as country_refusal
        from conversions c
        join offers o on o.id = c.offer_id
        join organizations p on p.id = c.publisher_id
        where c.screened_at is null
          and (c.click_found or c.click_id is null or c.created_at <= ${cutoff}::timestamptz)
        order by c.created_at
        limit ${batchSize}
        for update of c skip locked`,
    );
    if (batch.length === 0) return { seen: 0, held: 0 };
    // A merchant's test conversions book nothing, so holding them would only crowd the staff queue.
    const open = batch.filter((c) => c.status === "pending" && c.hold === "none" && !c.is_test);
    const found: Found = new Map();
    if (open.length) {
      rowSignals(found, open, settings);
      await relatedSignals(tx, found, open, settings);
    }
    await tx.execute(sql`
      update conversions set screened_at = ${now.toISOString()}::timestamptz
      where id = any(${sqlTextArray(batch.map((c) => c.id))}::uuid[])`);
    // Screened conversions enter the reports; a hold keeps them there while they are pending.
    await addScreenedConversions(
      tx,
      batch.map((c) => c.id),
    );
    // One lifecycle call for the batch: each conversion is held with its own signals.
    const holds = new Map([...found].map(([id, signals]) => [id, { action: "hold" as const, signals }]));
    const outcomes = await changeConversions(tx, sql`true`, SCREENING_ACTOR, [...holds.keys()], holds);
    const held = outcomes.filter((o) => o.result === "changed").length;
    // The publisher hears of each conversion once it is screened, so a held one is never reported as clean.
    await queuePostbackDeliveries(
      tx,
      batch.map((c) => ({ conversionId: c.id, trigger: "created" as const })),
    );
    return { seen: batch.length, held };
  });
}

/**
 * Fraud screening of every conversion not screened yet, in bounded batches (each its own
 * transaction, rows another pass holds skipped), yielding between batches so the process keeps
 * serving. Returns how many were screened and how many of them were put on hold.
 */
export async function screenConversions(db: Database, now: Date, batchSize = SCREENING_BATCH) {
  const settings = await currentFraudSettings(db);
  let screened = 0;
  let held = 0;
  for (;;) {
    const result = await screenBatch(db, now, batchSize, settings);
    screened += result.seen;
    held += result.held;
    if (result.seen < batchSize) return { screened, held };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Queues a screening pass now, in the caller's transaction when given one. */
export function requestScreening(db: Database) {
  return enqueueJob(db, conversionScreening, {});
}

/** At most one screening job asked for per this long per process; the minute's cron is the backstop. */
const SCREENING_REQUEST_INTERVAL_MS = 1000;

/**
 * Asks for a screening pass soon after new conversions, without touching the postback's path:
 * `request()` returns at once; the job is queued now, or at the end of the current interval when
 * one was queued less than an interval ago, so a stream of postbacks queues one job a second.
 * A failure to queue is reported, never thrown: the cron pass screens what was missed.
 */
export function createScreeningRequests(db: Database, onError: (error: unknown) => void, intervalMs = SCREENING_REQUEST_INTERVAL_MS) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let sending: Promise<unknown> = Promise.resolve();
  const send = () => {
    timer = null;
    last = Date.now();
    sending = requestScreening(db).catch(onError);
  };
  return {
    request() {
      if (timer) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) send();
      else {
        timer = setTimeout(send, wait);
        timer.unref();
      }
    },
    /** Sends a request still waiting for its interval, and waits for the one in flight. */
    async close() {
      if (timer) {
        clearTimeout(timer);
        send();
      }
      await sending;
    },
  };
}
