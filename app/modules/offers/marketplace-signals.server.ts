import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { marketplaceStats } from "#db/schema";
import { queueOfferIndexing } from "#search/outbox";
import {
  decisionDays,
  MIN_APPROVED,
  MIN_CLICKS,
  MIN_DECIDED,
  SIGNAL_WINDOWS,
  type SignalFigures,
  type SignalWindow,
} from "~/lib/marketplace-signals";
import { DAY_MS } from "~/lib/time";

/** Runs take turns: a retry that starts while a slow run is still writing waits for it. */
const RUN_LOCK = 7_202_613;

/** n ÷ d rounded half-up, in integers: (2n + d) div 2d, for n ≥ 0 and d > 0. */
const halfUp = (n: SQL, d: SQL) => sql`((2 * (${n}) + (${d})) / (2 * (${d})))`;

/**
 * How the two kinds of subject differ. An offer has one currency, and its EPC sums only that one; a
 * merchant's offers may differ in currency, so a merchant has no commission, currency or EPC.
 * `rates` and `hours` are the 30-day figures its offers' search documents carry: the offer's EPC and
 * conversion rate; the merchant's approval and reversal rates and its hours to decision (shown as days).
 */
const SUBJECTS = {
  offer: {
    key: sql.raw("offer_id"),
    commission: sql`sum(c.commission_minor) filter (where c.status in ('pending', 'approved') and c.currency = o.currency)`,
    offerJoin: sql`join offers o on o.id = c.offer_id`,
    currency: sql`(select currency from offers where id = counted.subject_id)`,
    epc: sql`case when clicks >= ${MIN_CLICKS} then ${halfUp(sql`commission`, sql`clicks`)} end`,
    rates: (t: string) => sql.raw(`row(${t}.epc_minor, ${t}.conversion_rate_bps)`),
    hours: false,
  },
  merchant: {
    key: sql.raw("merchant_id"),
    commission: sql`0`,
    offerJoin: sql``,
    currency: sql`null::char(3)`,
    epc: sql`null::bigint`,
    rates: (t: string) => sql.raw(`row(${t}.approval_rate_bps, ${t}.reversal_rate_bps)`),
    hours: true,
  },
};
type Subject = keyof typeof SUBJECTS;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The figures of one kind of subject, recomputed in one statement: counts per subject and window from
 * click_daily and conversions, the rates from them (null below the thresholds), upserted; rows of
 * subjects with nothing in the longest window are deleted. Returns the subjects whose 30-day figures
 * that their offers' search documents carry differ from before (an absent row counts as all null).
 */
async function refreshSubject(tx: Database, subject: Subject, now: Date) {
  const today = utcDay(now);
  const windows = sql.join(
    SIGNAL_WINDOWS.map((days) => {
      const since = new Date(`${today}T00:00:00Z`).getTime() - (days - 1) * DAY_MS;
      return sql`(${days}::int, ${new Date(since).toISOString()}::timestamptz, ${utcDay(new Date(since))}::date)`;
    }),
    sql`, `,
  );
  const { key, commission, offerJoin, currency, epc, rates, hours } = SUBJECTS[subject];
  const rows = await selectRows<{ id: string; rates_changed: boolean; hours_before: number | null; hours_after: number | null }>(
    tx,
    sql`with windows (days, since, since_day) as (values ${windows}),
    clicked as (
      select d.${key} as subject_id, w.days, sum(d.clicks - d.bot_clicks)::bigint as clicks
      from click_daily d join windows w on d.day >= w.since_day
      where d.day <= ${today}::date
      group by 1, 2
    ),
    created as (
      select c.${key} as subject_id, w.days, count(*) as conversions, coalesce(${commission}, 0)::bigint as commission
      from conversions c ${offerJoin} join windows w on c.created_at >= w.since
      where not c.is_test and c.created_at <= ${now.toISOString()}::timestamptz
      group by 1, 2
    ),
    decided as (
      select c.${key} as subject_id, w.days, count(*) as decided,
        count(*) filter (where c.status <> 'rejected') as approved,
        count(*) filter (where c.status = 'reversed') as reversed,
        sum(extract(epoch from c.decided_at - c.created_at))::bigint as decision_seconds
      from conversions c join windows w on c.decided_at >= w.since
      where not c.is_test and c.status <> 'pending' and c.decided_at <= ${now.toISOString()}::timestamptz
      group by 1, 2
    ),
    active as (select subject_id from clicked union select subject_id from created union select subject_id from decided),
    counted as (
      select a.subject_id, w.days, coalesce(k.clicks, 0) as clicks, coalesce(n.conversions, 0) as conversions,
        coalesce(n.commission, 0) as commission, coalesce(x.decided, 0) as decided, coalesce(x.approved, 0) as approved,
        coalesce(x.reversed, 0) as reversed, x.decision_seconds
      from active a cross join windows w
      left join clicked k on k.subject_id = a.subject_id and k.days = w.days
      left join created n on n.subject_id = a.subject_id and n.days = w.days
      left join decided x on x.subject_id = a.subject_id and x.days = w.days
    ),
    fresh as (
      select subject_id, days, clicks, conversions, commission, decided, approved, reversed, ${currency} as currency,
        ${epc} as epc_minor,
        case when clicks >= ${MIN_CLICKS} then ${halfUp(sql`conversions * 10000`, sql`clicks`)} end as conversion_rate_bps,
        case when decided >= ${MIN_DECIDED} then ${halfUp(sql`approved * 10000`, sql`decided`)} end as approval_rate_bps,
        case when decided >= ${MIN_DECIDED} then ${halfUp(sql`decision_seconds`, sql`decided * 3600`)} end as avg_decision_hours,
        case when approved >= ${MIN_APPROVED} then ${halfUp(sql`reversed * 10000`, sql`approved`)} end as reversal_rate_bps
      from counted
    ),
    written as (
      insert into marketplace_stats (subject, subject_id, window_days, clicks, conversions, decided, approved, reversed,
        commission_minor, currency, epc_minor, conversion_rate_bps, approval_rate_bps, avg_decision_hours, reversal_rate_bps, computed_at)
      select ${subject}::stats_subject, subject_id, days, clicks, conversions, decided, approved, reversed,
        commission, currency, epc_minor, conversion_rate_bps, approval_rate_bps, avg_decision_hours, reversal_rate_bps,
        ${now.toISOString()}::timestamptz
      from fresh
      on conflict (subject, subject_id, window_days) do update set
        clicks = excluded.clicks, conversions = excluded.conversions, decided = excluded.decided, approved = excluded.approved,
        reversed = excluded.reversed, commission_minor = excluded.commission_minor, currency = excluded.currency,
        epc_minor = excluded.epc_minor, conversion_rate_bps = excluded.conversion_rate_bps,
        approval_rate_bps = excluded.approval_rate_bps, avg_decision_hours = excluded.avg_decision_hours,
        reversal_rate_bps = excluded.reversal_rate_bps, computed_at = excluded.computed_at
    ),
    dropped as (
      delete from marketplace_stats m
      where m.subject = ${subject}::stats_subject and not exists (select 1 from active a where a.subject_id = m.subject_id)
    ),
    -- Every part of one statement reads the same snapshot: this is the table before the writes above.
    before as (select * from marketplace_stats where subject = ${subject}::stats_subject and window_days = 30)
    select coalesce(f.subject_id, b.subject_id)::text as id, ${rates("f")} is distinct from ${rates("b")} as rates_changed,
      b.avg_decision_hours as hours_before, f.avg_decision_hours as hours_after
    from (select * from fresh where days = 30) f full join before b on b.subject_id = f.subject_id
    where ${rates("f")} is distinct from ${rates("b")}
      ${hours ? sql`or f.avg_decision_hours is distinct from b.avg_decision_hours` : sql``}`,
  );
  // Hours the document shows as the same days (to a tenth) change nothing a publisher sees.
  const days = (hours: number | null) => (hours === null ? null : decisionDays(hours));
  return rows.filter((r) => r.rates_changed || days(r.hours_before) !== days(r.hours_after)).map((r) => r.id);
}

/**
 * The `marketplace-signals` job: every offer's and merchant's figures over the last 30 and 90 UTC days
 * (ADR 24), in one transaction, and a re-index of exactly the offers whose search documents change.
 */
export async function refreshMarketplaceSignals(db: Database, now: Date) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RUN_LOCK})`);
    const offerIds = await refreshSubject(tx, "offer", now);
    const merchantIds = await refreshSubject(tx, "merchant", now);
    const merchantOffers = merchantIds.length
      ? await selectRows<{ id: string }>(tx, sql`select id::text from offers where merchant_id = any(${sqlTextArray(merchantIds)}::uuid[])`)
      : [];
    const reindexed = [...new Set([...offerIds, ...merchantOffers.map((r) => r.id)])];
    await queueOfferIndexing(tx, reindexed);
    return { offers: offerIds.length, merchants: merchantIds.length, reindexed: reindexed.length };
  });
}

/**
 * What the offer page shows per window: the offer's EPC and conversion rate, and its merchant's
 * approval rate, days to decision and reversal rate. Marketplace figures, the same for every publisher.
 */
export async function offerSignals(db: Database, offer: { id: string; merchantId: string }) {
  const rows = await db
    .select()
    .from(marketplaceStats)
    .where(
      or(
        and(eq(marketplaceStats.subject, "offer"), eq(marketplaceStats.subjectId, offer.id)),
        and(eq(marketplaceStats.subject, "merchant"), eq(marketplaceStats.subjectId, offer.merchantId)),
      ),
    );
  const row = (subject: Subject, days: SignalWindow) => rows.find((r) => r.subject === subject && r.windowDays === days);
  return SIGNAL_WINDOWS.map((days) => {
    const own = row("offer", days);
    const merchant = row("merchant", days);
    const hours = merchant?.avgDecisionHours ?? null;
    return {
      days,
      figures: {
        epcMinor: own?.epcMinor ?? null,
        conversionRateBps: own?.conversionRateBps ?? null,
        approvalRateBps: merchant?.approvalRateBps ?? null,
        avgDecisionDays: hours === null ? null : decisionDays(hours),
        reversalRateBps: merchant?.reversalRateBps ?? null,
      } satisfies SignalFigures,
    };
  });
}
