import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { conversions } from "#db/schema";
import { COUNTRY_CODES } from "~/lib/countries";
import { CONVERSION_REASON_LABELS, labelOf } from "~/lib/labels";
import { amountToText, parseAmount } from "~/lib/money";
import { termFor } from "~/lib/terms";
import { priceConversion, type Priced } from "../commissions/pricing";
import { verifyClickId, type ClickIdFields, type SigningKeyRing } from "./click-id";
import { copyClickDetails } from "./click-recorder.server";
import { changeConversions } from "./lifecycle.server";
import type { CachedLink, CachedOffer, LinkCache } from "./link-cache.server";
import { DAY_SECONDS } from "~/lib/time";

const optionalText = (max: number, what: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.string().max(max, `${what} is longer than ${max} characters`).optional());

/** A postback's parameters; anything else a merchant's platform sends along is ignored. */
export const postbackParameters = z.object({
  click_id: optionalText(100, "click_id"),
  coupon: optionalText(40, "coupon"),
  order_id: z
    .string({ error: "order_id is required" })
    .trim()
    .min(1, "order_id is required")
    .max(100, "order_id is longer than 100 characters"),
  amount: optionalText(24, "amount"),
  currency: optionalText(3, "currency"),
  event: z.preprocess(
    (v) => (v === "" || v === undefined ? "sale" : v),
    z.string().regex(/^[a-z0-9_-]{1,40}$/, "event must be 1 to 40 lower-case letters, digits, - or _"),
  ),
  status: z.preprocess(
    (v) => (v === "" || v === undefined ? "pending" : v),
    z.enum(["pending", "reversed"], { error: "status must be pending or reversed" }),
  ),
  customer_id: optionalText(100, "customer_id"),
  /** The customer's country as the merchant knows it; fraud screening compares it with the offer's countries. */
  country: z.preprocess(
    (v) => (v === "" ? undefined : typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(COUNTRY_CODES, { error: "country must be a two-letter ISO 3166 country code, like DE" }).optional(),
  ),
});
type PostbackParameters = z.infer<typeof postbackParameters>;

export type ConversionAnswer = {
  id: string;
  status: (typeof conversions.$inferSelect)["status"];
  reason: string | null;
  amount: string;
  commission: string;
  fee: string;
  merchant_cost: string;
  currency: string;
};

export type PostbackAnswer = {
  status: number;
  body: { conversion: ConversionAnswer; replayed?: true } | { error: { code: string; message: string } };
  /** For the merchant's log: what the engine did, in a word. */
  outcome: string;
  conversionId: string | null;
};

export function postbackError(status: number, code: string, message: string): PostbackAnswer {
  return { status, body: { error: { code, message } }, outcome: code, conversionId: null };
}

/** What a postback's answer needs of a conversion: inserts and updates return only these columns. */
const answered = {
  id: conversions.id,
  status: conversions.status,
  reason: conversions.reason,
  saleAmountMinor: conversions.saleAmountMinor,
  commissionMinor: conversions.commissionMinor,
  feeMinor: conversions.feeMinor,
  merchantCostMinor: conversions.merchantCostMinor,
  currency: conversions.currency,
  clickId: conversions.clickId,
};
type Conversion = { [K in keyof typeof answered]: (typeof conversions.$inferSelect)[K] };

/** The one line a merchant's postback log shows beside the outcome. */
export function logMessage(result: PostbackAnswer): string {
  if ("error" in result.body) return result.body.error.message;
  const { reason } = result.body.conversion;
  return reason ? `Reason: ${labelOf(CONVERSION_REASON_LABELS, reason)}` : "";
}

function answer(status: number, conversion: Conversion, replayed: boolean, refund = false): PostbackAnswer {
  const money = (minor: number) => amountToText(minor, conversion.currency);
  return {
    status,
    body: {
      conversion: {
        id: conversion.id,
        status: conversion.status,
        reason: conversion.reason,
        amount: money(conversion.saleAmountMinor),
        commission: money(conversion.commissionMinor),
        fee: money(conversion.feeMinor),
        merchant_cost: money(conversion.merchantCostMinor),
        currency: conversion.currency,
      },
      ...(replayed ? { replayed: true as const } : {}),
    },
    outcome: replayed ? "replayed" : refund ? "refunded" : conversion.status === "rejected" ? "rejected" : "recorded",
    conversionId: conversion.id,
  };
}

type Attribution = { link: CachedLink; offer: CachedOffer; click: (ClickIdFields & { id: string }) | null; coupon: string | null };

/** Caps: a counter that went past its cap, or the partnership's month count before this conversion. */
class CapReached extends Error {
  constructor(readonly monthConversionsBefore: number) {
    super("cap reached");
  }
}
class AlreadyRecorded extends Error {}

/** Who a refund is by, in the conversion's history. */
export const REFUND_ACTOR = { kind: "postback", label: "Refund reported by the merchant's postback" } as const;

const monthKey = (at: Date) => `m${at.toISOString().slice(0, 7)}`;
const dayKey = (at: Date) => `d${at.toISOString().slice(0, 10)}`;

/**
 * The engine's side of a postback, once the merchant is authenticated: attribute, decide whether it
 * earns, price, and record exactly once per (merchant, order, event).
 */
export function createPostbackRecorder(db: Database, cache: LinkCache, clickKeys: SigningKeyRing) {
  function attribute(merchantId: string, p: PostbackParameters): Attribution | PostbackAnswer {
    if (p.click_id) {
      const click = verifyClickId(clickKeys, p.click_id);
      const link = click ? cache.linkById(click.linkId) : undefined;
      const offer = link ? cache.offer(link.offerId) : undefined;
      if (!click || !link || !offer || offer.merchantId !== merchantId) {
        return postbackError(404, "unknown_click", "No click of yours has this click_id.");
      }
      return { link, offer, click: { ...click, id: p.click_id }, coupon: null };
    }
    if (p.coupon) {
      const partnershipId = cache.couponPartnership(merchantId, p.coupon);
      const link = partnershipId ? cache.linkByPartnership(partnershipId) : undefined;
      const offer = link ? cache.offer(link.offerId) : undefined;
      if (!link || !offer || offer.merchantId !== merchantId)
        return postbackError(404, "unknown_coupon", "No coupon of yours has this code.");
      return { link, offer, click: null, coupon: p.coupon };
    }
    return postbackError(400, "missing_attribution", "Send a click_id or a coupon.");
  }

  /** Why an attributed conversion must not earn, checked in this order; null when it may. */
  function rejectionReason({ link, offer, click }: Attribution, now: number): string | null {
    if (click?.bot) return "bot_click";
    if (click && now - click.clickedAt > offer.cookieDays * DAY_SECONDS) return "cookie_expired";
    if (offer.status !== "active") return "offer_paused";
    if (link.partnershipStatus !== "active") return "partnership_inactive";
    if (cache.organizationStatus(link.publisherId) === "suspended") return "publisher_suspended";
    const country = click?.country;
    if (country && offer.countryMode === "include" && !offer.countries.has(country)) return "country_excluded";
    if (country && offer.countryMode === "exclude" && offer.countries.has(country)) return "country_excluded";
    return null;
  }

  async function insert(
    tx: Pick<Database, "insert" | "execute">,
    merchantId: string,
    p: PostbackParameters,
    a: Attribution,
    priced: Priced,
    saleAmountMinor: number,
    fingerprint: string,
    outcome: { status: "pending" | "rejected"; reason: string | null; isTest: boolean },
    now: Date,
  ): Promise<Conversion | null> {
    const [row] = await tx
      .insert(conversions)
      .values({
        merchantId,
        offerId: a.offer.id,
        partnershipId: a.link.partnershipId,
        publisherId: a.link.publisherId,
        attributedBy: a.click ? "click" : "coupon",
        linkId: a.link.id,
        clickId: a.click?.id ?? null,
        clickedAt: a.click ? new Date(a.click.clickedAt * 1000) : null,
        couponCode: a.coupon,
        orderId: p.order_id,
        event: p.event,
        customerId: p.customer_id ?? null,
        customerCountry: p.country ?? null,
        status: outcome.status,
        reason: outcome.reason,
        saleAmountMinor,
        commissionMinor: priced.commissionMinor,
        feeMinor: priced.feeMinor,
        merchantCostMinor: priced.merchantCostMinor,
        currency: a.offer.currency,
        termsSnapshot: priced.termsSnapshot,
        feeSnapshot: priced.feeSnapshot,
        clickCountry: a.click?.country ?? null,
        requestFingerprint: fingerprint,
        isTest: outcome.isTest,
        validationEndsAt: new Date(now.getTime() + a.offer.validationDays * DAY_SECONDS * 1000),
        createdAt: now,
        statusChangedAt: now,
      })
      .onConflictDoNothing({ target: [conversions.merchantId, conversions.orderId, conversions.event] })
      .returning(answered);
    // The click row is usually written by now; if not, the batch that writes it copies these.
    if (row?.clickId) await copyClickDetails(tx, sql`c.id = ${row.id}`);
    return row ?? null;
  }

  async function increment(tx: Pick<Database, "execute">, counters: [string, string][]) {
    const values = sql.join(
      counters.map(([scope, period]) => sql`(${scope}::uuid, ${period}, 1)`),
      sql`, `,
    );
    return selectRows<{ scope_id: string; period: string; count: number }>(
      tx,
      sql`insert into conversion_counters (scope_id, period, count) values ${values}
        on conflict (scope_id, period) do update set count = conversion_counters.count + 1
        returning scope_id, period, count`,
    );
  }

  async function monthCount(partnershipId: string, now: Date) {
    const [row] = await selectRows<{ count: number }>(
      db,
      sql`select count from conversion_counters where scope_id = ${partnershipId} and period = ${monthKey(now)}`,
    );
    return row?.count ?? 0;
  }

  async function existing(merchantId: string, p: PostbackParameters) {
    const [row] = await db
      .select()
      .from(conversions)
      .where(and(eq(conversions.merchantId, merchantId), eq(conversions.orderId, p.order_id), eq(conversions.event, p.event)));
    return row;
  }

  async function replay(merchantId: string, p: PostbackParameters, fingerprint: string): Promise<PostbackAnswer> {
    const first = await existing(merchantId, p);
    if (!first) return postbackError(409, "order_conflict", "This order is being recorded by another request; send it again.");
    if (first.requestFingerprint !== fingerprint) {
      return postbackError(
        409,
        "order_conflict",
        `Order ${p.order_id} was already reported for the event ${p.event} with other details; the first report stands.`,
      );
    }
    return answer(200, first, true);
  }

  /**
   * A refund: a pending conversion is rejected as returned, an approved one reversed (its approval
   * posting negated); a repeat answers the conversion as it stands.
   */
  async function refund(merchantId: string, p: PostbackParameters): Promise<PostbackAnswer> {
    const first = await existing(merchantId, p);
    if (!first) return postbackError(404, "unknown_order", `No ${p.event} was reported for order ${p.order_id}.`);
    const [outcome] = await db.transaction((tx) =>
      changeConversions(tx, sql`c.merchant_id = ${merchantId}`, REFUND_ACTOR, [first.id], { action: "refund", note: null }),
    );
    const now = await existing(merchantId, p);
    return answer(200, now!, outcome?.result !== "changed", outcome?.result === "changed");
  }

  return async function recordPostback(merchantId: string, p: PostbackParameters, options: { isTest: boolean }): Promise<PostbackAnswer> {
    if (p.status === "reversed") return refund(merchantId, p);
    const attributed = attribute(merchantId, p);
    if ("status" in attributed) return attributed;
    const { offer, link } = attributed;
    if (p.currency && p.currency.toUpperCase() !== offer.currency) {
      return postbackError(422, "currency_mismatch", `This offer is paid in ${offer.currency}; the postback said ${p.currency}.`);
    }
    const term = termFor(p.event, offer.terms, link.customTerms);
    if (!term) {
      const events = offer.terms.map((t) => t.event).join(", ");
      return postbackError(422, "unknown_event", `This offer pays for ${events}; it has no terms for ${p.event}.`);
    }
    const amount = p.amount === undefined ? null : parseAmount(p.amount, offer.currency);
    if (amount?.error) return postbackError(422, "invalid_amount", `amount: ${amount.error}`);
    if (!amount && term.type !== "cpa")
      return postbackError(422, "amount_required", `The ${p.event} pays a share of the amount: send amount.`);
    const saleAmountMinor = amount?.value ?? 0;
    const fingerprint = createHash("sha256")
      // The country only when sent, so the fingerprints of postbacks without one stay what they were.
      .update(
        [
          p.click_id ?? "",
          p.coupon?.toLowerCase() ?? "",
          saleAmountMinor,
          offer.currency,
          p.customer_id ?? "",
          ...(p.country ? [p.country] : []),
        ].join("\n"),
      )
      .digest("base64url");
    const nowDate = new Date();
    const now = Math.floor(nowDate.getTime() / 1000);
    const fee = cache.feeFor(merchantId, offer.currency);
    const price = (monthConversionsBefore: number) =>
      priceConversion({
        event: p.event,
        saleAmountMinor,
        offerTerms: offer.terms,
        customTerms: link.customTerms,
        monthConversionsBefore,
        fee,
      })!;

    const recordRejected = async (reason: string, monthConversionsBefore: number) => {
      const row = await insert(
        db,
        merchantId,
        p,
        attributed,
        price(monthConversionsBefore),
        saleAmountMinor,
        fingerprint,
        {
          status: "rejected",
          reason,
          isTest: options.isTest,
        },
        nowDate,
      );
      return row ? answer(201, row, false) : replay(merchantId, p, fingerprint);
    };

    const reason = rejectionReason(attributed, now);
    if (reason) return recordRejected(reason, await monthCount(link.partnershipId, nowDate));

    const caps = offer.caps;
    try {
      const row = await db.transaction(async (tx) => {
        const [month] = await increment(tx, [[link.partnershipId, monthKey(nowDate)]]);
        const before = month!.count - 1;
        if (caps.partnerMonthly !== null && month!.count > caps.partnerMonthly) throw new CapReached(before);
        const inserted = await insert(
          tx,
          merchantId,
          p,
          attributed,
          price(before),
          saleAmountMinor,
          fingerprint,
          {
            status: "pending",
            reason: null,
            isTest: options.isTest,
          },
          nowDate,
        );
        if (!inserted) throw new AlreadyRecorded();
        // Offer-wide counters last, so their row locks are held only until the commit right after.
        const counts = await increment(tx, [
          [link.partnershipId, dayKey(nowDate)],
          [offer.id, dayKey(nowDate)],
          [offer.id, monthKey(nowDate)],
        ]);
        const limits = [caps.partnerDaily, caps.offerDaily, caps.offerMonthly];
        const over = counts.some((c) => {
          const i = c.scope_id === link.partnershipId ? 0 : c.period.startsWith("d") ? 1 : 2;
          return limits[i] !== null && c.count > limits[i]!;
        });
        if (over) throw new CapReached(before);
        return inserted;
      });
      return answer(201, row, false);
    } catch (error) {
      if (error instanceof AlreadyRecorded) return replay(merchantId, p, fingerprint);
      if (error instanceof CapReached) return recordRejected("cap_reached", error.monthConversionsBefore);
      throw error;
    }
  };
}

export type RecordPostback = ReturnType<typeof createPostbackRecorder>;
