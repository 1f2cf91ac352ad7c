import type { Database } from "#db/client";
import { CONVERSION_ACTOR_LABELS } from "~/lib/labels";
import { DAY_MS } from "~/lib/time";
import { partnershipsFor } from "../applications/partnership-data.server";
import type { Tenant } from "../orgs/tenant.server";
import { conversionsFor, type ConversionEvent, type ListedConversion } from "./conversion-data.server";
import { canReviewConversions } from "./conversion-review.server";
import type { FraudSignal } from "#db/schema";
import { conversionCursorText, type ConversionQuery } from "./schemas";

/**
 * What a list row shows of a conversion: who, what, its status and the three amounts. The customer
 * id is the merchant's, so a publisher does not get it.
 */
export function conversionListView(row: ListedConversion, viewer: "merchant" | "publisher" | "staff") {
  const c = row.conversion;
  return {
    id: c.id,
    offerTitle: row.offerTitle,
    merchantName: row.merchantName,
    publisherName: row.publisherName,
    orderId: c.orderId,
    event: c.event,
    customerId: viewer === "publisher" ? null : c.customerId,
    status: c.status,
    reason: c.reason,
    hold: c.hold,
    isTest: c.isTest,
    saleAmountMinor: c.saleAmountMinor,
    commissionMinor: c.commissionMinor,
    feeMinor: c.feeMinor,
    merchantCostMinor: c.merchantCostMinor,
    currency: c.currency,
    subIds: [c.sub1, c.sub2, c.sub3, c.sub4, c.sub5],
    createdAt: c.createdAt,
  };
}

/**
 * What a conversion's own page shows: the list row, the ids of what it links to, the terms and fee
 * it was priced with, its attribution, and the note given with its reason. Everything but the IP's
 * HMAC and the request fingerprint, which are the engine's own. The fraud signals' evidence is for
 * the merchant and staff: a publisher learns that it is under review, not what would help it hide.
 * Self traffic's evidence comes from the publisher's own log-ins, which are not the merchant's to
 * read: the merchant gets the signal in general words.
 */
const forMerchant = (signal: FraudSignal): FraudSignal =>
  signal.code === "self_traffic" ? { ...signal, evidence: "The click came from an address the publisher's own team uses." } : signal;

export function conversionView(row: ListedConversion, viewer: "merchant" | "publisher" | "staff") {
  const c = row.conversion;
  return {
    ...conversionListView(row, viewer),
    offerId: c.offerId,
    merchantId: c.merchantId,
    publisherId: c.publisherId,
    partnershipId: c.partnershipId,
    termsSnapshot: c.termsSnapshot,
    feeSnapshot: c.feeSnapshot,
    attributedBy: c.attributedBy,
    clickId: c.clickId,
    clickedAt: c.clickedAt,
    couponCode: c.couponCode,
    clickCountry: c.clickCountry,
    clickUserAgent: c.clickUserAgent,
    clickFound: c.clickFound,
    validationEndsAt: c.validationEndsAt,
    statusChangedAt: c.statusChangedAt,
    note: c.note,
    fraudSignals: viewer === "publisher" ? [] : viewer === "merchant" ? c.fraudSignals.map(forMerchant) : c.fraudSignals,
  };
}

/**
 * A conversion's history as one side reads it: who made each change is named by email only to
 * their own side; the other side (and a job, staff or a postback, to everyone) reads a role.
 */
export function conversionHistoryView(events: ConversionEvent[], viewer: "merchant" | "publisher" | "staff") {
  return events.map((e) => ({
    id: e.id,
    at: e.createdAt,
    actor: viewer === "staff" || e.actorKind === viewer ? e.actorLabel : CONVERSION_ACTOR_LABELS[e.actorKind],
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    fromHold: e.fromHold,
    toHold: e.toHold,
    reason: e.reason,
    note: e.note,
  }));
}

/**
 * A page of the tenant's conversions, newest first, with the choices its filters offer: the offers
 * (and, for a merchant, the publishers) of the tenant's partnerships, and whether the signed-in
 * person may approve and reject them.
 */
export async function listConversions(db: Database, tenant: Tenant, query: ConversionQuery) {
  const kind = tenant.organization.kind;
  const [page, choices] = await Promise.all([
    conversionsFor(db, tenant).list(
      {
        offerId: query.offer,
        status: query.status,
        subId: kind === "publisher" ? query.sub : undefined,
        publisherId: kind === "merchant" ? query.publisher : undefined,
        from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
        until: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : undefined,
      },
      query.after ?? null,
    ),
    partnershipsFor(db, tenant).choices(),
  ]);
  const offers = new Map(choices.map((c) => [c.offerId, c.offerTitle]));
  const publishers = new Map(kind === "merchant" ? choices.map((c) => [c.counterpartId, c.counterpartName]) : []);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    canReview: canReviewConversions(tenant),
    rows: page.rows.map((row) => conversionListView(row, kind)),
    next: page.next ? conversionCursorText(page.next) : null,
    choices: {
      offers: [...offers].map(([id, name]) => ({ id, name })).sort(byName),
      publishers: [...publishers].map(([id, name]) => ({ id, name })).sort(byName),
    },
  };
}

/** One of the tenant's conversions, as both sides see it: the same three amounts and the terms used. */
export async function getConversion(db: Database, tenant: Tenant, conversionId: string) {
  return conversionView(await conversionsFor(db, tenant).get(conversionId), tenant.organization.kind);
}

/**
 * A conversion's page: the conversion as the tenant's side sees it, its history, and whether the
 * signed-in person may approve or reject it now (a merchant's owner or admin, while it is pending).
 */
export async function conversionPage(db: Database, tenant: Tenant, conversionId: string) {
  const [conversion, events] = await Promise.all([
    getConversion(db, tenant, conversionId),
    conversionsFor(db, tenant).events(conversionId),
  ]);
  return {
    conversion,
    history: conversionHistoryView(events, tenant.organization.kind),
    canReview: canReviewConversions(tenant) && conversion.status === "pending",
  };
}
