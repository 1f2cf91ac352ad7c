import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueJob, enqueueJobs } from "#db/jobs/enqueue";
import { publisherPostbackDelivery, type JobData } from "#db/jobs/queues";
import type { JobFailure, JobHandler } from "#db/jobs/runner";
import { conversions, postbackAttempts, postbackDeliveries, publisherPostbacks } from "#db/schema";
import { amountToText } from "~/lib/money";
import { DAY_MS } from "~/lib/time";
import { callPostbackUrl, type CallOutcome, type CallSettings } from "./http-call.server";
import { fillTemplate, type MacroValues } from "./macros";

export type ConversionChange = { conversionId: string; trigger: "created" | "approved" | "rejected" | "reversed" };

/** What a conversion row gives the macros. */
type ConversionFields = {
  id: string;
  clickId: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  orderId: string;
  event: string;
  commissionMinor: number;
  currency: string;
  status: string;
};

/** The macros' values for a conversion: the publisher's commission as a decimal in the offer's currency. */
export function conversionMacroValues(c: ConversionFields): MacroValues {
  return {
    click_id: c.clickId,
    sub1: c.sub1,
    sub2: c.sub2,
    sub3: c.sub3,
    sub4: c.sub4,
    sub5: c.sub5,
    order_id: c.orderId,
    event: c.event,
    payout: amountToText(c.commissionMinor, c.currency),
    currency: c.currency,
    status: c.status,
    conversion_id: c.id,
  };
}

/**
 * In the caller's transaction: one delivery (and its job) per change whose publisher has a template
 * for the conversion's offer (a per-offer template wins over the global one). Test conversions are
 * included: publishers test their tracking too. Three statements whatever the number of changes (one
 * when no publisher of them has a template): the conversions with their template, the deliveries, the jobs.
 */
export async function queuePostbackDeliveries(db: Database, changes: ConversionChange[]): Promise<void> {
  if (changes.length === 0) return;
  const conversionIds = [...new Set(changes.map((c) => c.conversionId))];
  const matches = await db
    .selectDistinctOn([conversions.id], {
      id: conversions.id,
      clickId: conversions.clickId,
      sub1: conversions.sub1,
      sub2: conversions.sub2,
      sub3: conversions.sub3,
      sub4: conversions.sub4,
      sub5: conversions.sub5,
      orderId: conversions.orderId,
      event: conversions.event,
      commissionMinor: conversions.commissionMinor,
      currency: conversions.currency,
      status: conversions.status,
      publisherId: conversions.publisherId,
      postbackId: publisherPostbacks.id,
      urlTemplate: publisherPostbacks.urlTemplate,
    })
    .from(conversions)
    .innerJoin(
      publisherPostbacks,
      and(
        eq(publisherPostbacks.publisherId, conversions.publisherId),
        or(eq(publisherPostbacks.offerId, conversions.offerId), isNull(publisherPostbacks.offerId)),
      ),
    )
    .where(inArray(conversions.id, conversionIds))
    .orderBy(conversions.id, sql`${publisherPostbacks.offerId} nulls last`);
  if (matches.length === 0) return;
  const byConversion = new Map(matches.map((m) => [m.id, m]));
  const rows = changes.flatMap(({ conversionId, trigger }) => {
    const match = byConversion.get(conversionId);
    if (!match) return [];
    const url = fillTemplate(match.urlTemplate, conversionMacroValues(match));
    return [{ publisherId: match.publisherId, postbackId: match.postbackId, conversionId, trigger, url }];
  });
  const inserted = await db.insert(postbackDeliveries).values(rows).returning({ id: postbackDeliveries.id });
  await enqueueJobs(
    db,
    publisherPostbackDelivery,
    inserted.map(({ id }) => ({ deliveryId: id })),
  );
}

type AttemptResult = CallOutcome & { status: "pending" | "delivered" | "failed"; attempt: number };

/** A failed delivery is tried again for this long after it was queued; the first failure after it is final. */
export const POSTBACK_RETRY_WINDOW_MS = DAY_MS;

/**
 * The wait after failed attempt n (1-based): doubling from 30 s up to 2 hours, so a receiver that
 * was down for a day is still tried every 2 hours, about 20 attempts in the window.
 */
export function postbackRetryDelaySeconds(attempt: number): number {
  return Math.min(30 * 2 ** (attempt - 1), 2 * 3600);
}

/**
 * Calls a pending delivery's URL once and records the attempt: delivered on a 2xx; failed on a
 * permanent refusal, when `once` (a test: nobody retries it) or when the retry window has passed;
 * else still pending, with the next attempt queued in the same transaction. Null when the delivery
 * is gone, no longer pending, or already past attempt `attempt` (a job run twice does not call twice).
 */
export async function attemptDelivery(
  db: Database,
  deliveryId: number,
  settings: CallSettings,
  options: { once: boolean; attempt?: number },
): Promise<AttemptResult | null> {
  const [delivery] = await db.select().from(postbackDeliveries).where(eq(postbackDeliveries.id, deliveryId));
  const tried = (options.attempt ?? 1) - 1;
  if (!delivery || delivery.status !== "pending" || delivery.attempts !== tried) return null;
  const outcome = await callPostbackUrl(delivery.url, settings);
  const windowOver = Date.now() - delivery.createdAt.getTime() >= POSTBACK_RETRY_WINDOW_MS;
  const status = outcome.delivered ? "delivered" : outcome.permanent || options.once || windowOver ? "failed" : "pending";
  const attempt = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(postbackDeliveries)
      .set({
        status,
        attempts: sql`${postbackDeliveries.attempts} + 1`,
        lastHttpStatus: outcome.httpStatus,
        lastError: outcome.error,
        lastAttemptAt: new Date(),
      })
      // Still pending and not tried meanwhile: a delivery failed since (its template deleted) stays failed.
      .where(and(eq(postbackDeliveries.id, delivery.id), eq(postbackDeliveries.status, "pending"), eq(postbackDeliveries.attempts, tried)))
      .returning({ attempts: postbackDeliveries.attempts });
    if (!updated) return null;
    const number = updated.attempts;
    await tx.insert(postbackAttempts).values({
      deliveryId: delivery.id,
      attempt: number,
      httpStatus: outcome.httpStatus,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    if (status === "pending") {
      await enqueueJob(
        tx,
        publisherPostbackDelivery,
        { deliveryId: delivery.id, attempt: number + 1 },
        {
          startAfterSeconds: postbackRetryDelaySeconds(number),
        },
      );
    }
    return number;
  });
  return attempt === null ? null : { ...outcome, status, attempt };
}

type DeliveryJob = JobData<typeof publisherPostbackDelivery>;

/**
 * The `publisher-postback-delivery` handler. The calls of a batch run side by side: each waits on
 * another server for up to its timeout, and one after another they would outlast the job's expiry.
 * A failed call queues its own next attempt; a job throws only when the database does, and pg-boss
 * then runs it again (the attempt number keeps that from calling twice).
 */
export function deliverPostbacks(db: Database, settings: CallSettings): JobHandler<DeliveryJob> {
  return async (jobs) => {
    const settled = await Promise.allSettled(
      jobs.map((job) => attemptDelivery(db, job.data.deliveryId, settings, { once: false, attempt: job.data.attempt })),
    );
    return settled.flatMap((result, i): JobFailure[] => (result.status === "rejected" ? [{ id: jobs[i]!.id, error: result.reason }] : []));
  };
}
