import type { Database } from "#db/client";
import { partnershipsFor } from "../applications/partnership-data.server";
import { DomainError } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { getTrackingActivity } from "./activity.server";
import { couponsFor } from "./coupon-data.server";
import type { TrackingEngine } from "./engine-types";
import { buildTrackingUrl } from "./landing-url";
import type { LinkBuilderInput } from "./schemas";
import { trackingLinksFor } from "./tracking-link-data.server";

/** How a tracking link code becomes a public URL: the engine knows the host. */
type LinkUrls = Pick<TrackingEngine, "linkUrl">;

/**
 * The publisher's page of one partnership: its tracking link, coupon codes, the last 30 days' clicks
 * and conversions by status, and its latest conversions.
 */
export async function getPartnershipTracking(db: Database, tenant: Tenant, partnershipId: string, links: LinkUrls) {
  assertTenant(tenant, { kind: "publisher" });
  const [{ partnership, offer, counterpart }, link, coupons, activity] = await Promise.all([
    partnershipsFor(db, tenant).get(partnershipId),
    trackingLinksFor(db, tenant).forPartnership(partnershipId),
    couponsFor(db, tenant).list({ partnershipId }),
    getTrackingActivity(db, tenant, { partnershipId }),
  ]);
  return {
    partnership: { id: partnership.id, status: partnership.status, customTerms: partnership.customTerms },
    offer: {
      id: offer.id,
      title: offer.title,
      status: offer.status,
      currency: offer.currency,
      terms: offer.terms,
      deepLinkDomains: offer.deepLinkDomains,
      cookieDays: offer.cookieDays,
    },
    merchantName: counterpart.name,
    linkUrl: links.linkUrl(link.code),
    coupons: coupons.map((c) => ({ id: c.id, code: c.code })),
    days: activity.days,
    clicks: activity.clicks,
    byStatus: activity.totals.map((t) => ({ status: t.status, currency: t.currency, count: t.count, commissionMinor: t.commissionMinor })),
    latest: activity.latest,
  };
}

/**
 * The publisher's tracking link with sub ids and a deep link: refused, next to the field, unless the
 * deep link is https on one of the offer's domains or their subdomains. Nothing is stored.
 */
export async function buildPartnershipLink(db: Database, tenant: Tenant, partnershipId: string, input: LinkBuilderInput, links: LinkUrls) {
  assertTenant(tenant, { kind: "publisher" });
  const [{ offer }, link] = await Promise.all([
    partnershipsFor(db, tenant).get(partnershipId),
    trackingLinksFor(db, tenant).forPartnership(partnershipId),
  ]);
  const subs = [input.sub1, input.sub2, input.sub3, input.sub4, input.sub5];
  const built = buildTrackingUrl(links.linkUrl(link.code), { subs, url: input.url }, offer.deepLinkDomains);
  if ("error" in built) throw new DomainError("invalid_link", built.error, built.field);
  return built;
}
