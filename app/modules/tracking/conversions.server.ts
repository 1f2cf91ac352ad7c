import type { Database } from "#db/client";
import { partnershipsFor } from "../applications/partnership-data.server";
import type { Tenant } from "../orgs/tenant.server";
import { conversionsFor, type ListedConversion } from "./conversion-data.server";
import type { ConversionQuery } from "./schemas";

/**
 * What a page shows of a conversion: everything but the IP's HMAC and the request fingerprint, which
 * are the engine's own. The customer id is the merchant's, so a publisher does not get it.
 */
export function conversionView(row: ListedConversion, viewer: "merchant" | "publisher" | "staff") {
  const c = row.conversion;
  return {
    id: c.id,
    offerId: c.offerId,
    offerTitle: row.offerTitle,
    merchantId: c.merchantId,
    merchantName: row.merchantName,
    publisherId: c.publisherId,
    publisherName: row.publisherName,
    partnershipId: c.partnershipId,
    orderId: c.orderId,
    event: c.event,
    customerId: viewer === "publisher" ? null : c.customerId,
    status: c.status,
    reason: c.reason,
    isTest: c.isTest,
    saleAmountMinor: c.saleAmountMinor,
    commissionMinor: c.commissionMinor,
    feeMinor: c.feeMinor,
    merchantCostMinor: c.merchantCostMinor,
    currency: c.currency,
    termsSnapshot: c.termsSnapshot,
    feeSnapshot: c.feeSnapshot,
    attributedBy: c.attributedBy,
    clickId: c.clickId,
    clickedAt: c.clickedAt,
    couponCode: c.couponCode,
    subIds: [c.sub1, c.sub2, c.sub3, c.sub4, c.sub5],
    clickCountry: c.clickCountry,
    clickUserAgent: c.clickUserAgent,
    clickFound: c.clickFound,
    validationEndsAt: c.validationEndsAt,
    createdAt: c.createdAt,
    statusChangedAt: c.statusChangedAt,
  };
}

export type ConversionView = ReturnType<typeof conversionView>;

const DAY_MS = 86_400_000;

/**
 * A page of the tenant's conversions, newest first, with the choices its filters offer: the offers
 * (and, for a merchant, the publishers) of the tenant's partnerships.
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
    rows: page.rows.map((row) => conversionView(row, kind)),
    next: page.next ? `${page.next.at},${page.next.id}` : null,
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
