import type { Database } from "#db/client";
import { DAY_MS } from "~/lib/time";
import { partnershipsFor } from "../applications/partnership-data.server";
import type { Tenant } from "../orgs/tenant.server";
import { conversionsFor, type ListedConversion } from "./conversion-data.server";
import type { ConversionQuery } from "./schemas";

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
 * it was priced with, and its attribution. Everything but the IP's HMAC and the request fingerprint,
 * which are the engine's own.
 */
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
  };
}

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
    rows: page.rows.map((row) => conversionListView(row, kind)),
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
