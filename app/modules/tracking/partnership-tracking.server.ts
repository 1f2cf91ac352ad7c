import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { organizations } from "#db/schema";
import { partnershipsFor } from "../applications/partnership-data.server";
import { DomainError } from "../errors.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { ACTIVITY_DAYS, activityWindow } from "./activity.server";
import { clickCountsFor } from "./click-daily-data.server";
import { conversionsFor } from "./conversion-data.server";
import { conversionView } from "./conversions.server";
import { couponsFor } from "./coupon-data.server";
import type { TrackingEngine } from "./engine-types";
import { buildTrackingUrl } from "./landing-url";
import type { LinkBuilderInput } from "./schemas";
import { trackingLinksFor } from "./tracking-link-data.server";

/** How a tracking link code becomes a public URL: the engine knows the host. */
export type LinkUrls = Pick<TrackingEngine, "linkUrl">;

/**
 * The publisher's page of one partnership: its tracking link, coupon codes, the last 30 days' clicks
 * and conversions by status, and its latest conversions.
 */
export async function getPartnershipTracking(db: Database, tenant: Tenant, partnershipId: string, links: LinkUrls) {
  assertTenant(tenant, { kind: "publisher" });
  const { partnership, offer } = await partnershipsFor(db, tenant).get(partnershipId);
  const window = activityWindow();
  const conversions = conversionsFor(db, tenant);
  const [link, coupons, clicks, totals, latest, [merchant]] = await Promise.all([
    trackingLinksFor(db, tenant).forPartnership(partnershipId),
    couponsFor(db, tenant).list({ partnershipId }),
    clickCountsFor(db, tenant).totals({ since: window.day, partnershipId }),
    conversions.totals({ since: window.since, partnershipId }),
    conversions.list({ partnershipId }, null, 10),
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, offer.merchantId)),
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
    merchantName: merchant!.name,
    linkUrl: links.linkUrl(link.code),
    coupons: coupons.map((c) => ({ id: c.id, code: c.code })),
    days: ACTIVITY_DAYS,
    clicks,
    byStatus: totals.map((t) => ({ status: t.status, currency: t.currency, count: t.count, commissionMinor: t.commissionMinor })),
    latest: latest.rows.map((row) => conversionView(row, "publisher")),
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
