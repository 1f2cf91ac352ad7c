import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "#db/client";
import { niches, offerChanges, offerNiches, offers, organizations } from "#db/schema";
import { emptyFilters, FACETS, SORTS, type OfferSearch, type SearchQuery } from "#search/types";
import { applicationsFor } from "../applications/application-data.server";
import { partnershipsFor } from "../applications/partnership-data.server";
import { notFound } from "../errors.server";
import { getOrganizationProfile } from "../orgs/organizations.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { offerSignals } from "./marketplace-signals.server";

const PER_PAGE = 20;

const value = z.string().trim().max(100);
const searchParamsSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(SORTS).catch("relevance"),
  page: z.coerce.number().int().min(1).max(500).catch(1),
});

/** The search lives in the URL (q, sort, page and repeated facet params) so it can be shared. */
export function parseMarketplaceQuery(params: URLSearchParams): SearchQuery {
  const base = searchParamsSchema.parse({
    q: params.get("q") ?? "",
    sort: params.get("sort") ?? "relevance",
    page: params.get("page") ?? 1,
  });
  const filters = emptyFilters();
  for (const facet of FACETS)
    filters[facet] = [...new Set(params.getAll(facet))].filter((v) => value.safeParse(v).success && v !== "").slice(0, 20);
  return { text: base.q, sort: base.sort, page: base.page, perPage: PER_PAGE, filters };
}

export async function searchMarketplace(search: OfferSearch, tenant: Tenant, query: SearchQuery) {
  assertTenant(tenant, { kind: "publisher" });
  return search.search(query);
}

/**
 * An offer as a publisher sees it: any searchable offer, or one the publisher is invited to or
 * partners with. Anything else is 404.
 */
export async function getMarketplaceOffer(db: Database, tenant: Tenant, offerId: string) {
  assertTenant(tenant, { kind: "publisher" });
  const [row] = await db
    .select({ offer: offers, merchant: organizations })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(eq(offers.id, offerId));
  if (!row) throw notFound("Offer not found");
  const partnership = await partnershipsFor(db, tenant).find(offerId, tenant.organization.id);
  const listed = row.offer.status === "active" && row.offer.visibility !== "private" && row.merchant.status === "active";
  const related = partnership && partnership.status !== "ended";
  if (!listed && !related) throw notFound("Offer not found");
  const [nicheRows, changes, application, merchantProfile, signals] = await Promise.all([
    db
      .select({ slug: niches.slug, name: niches.name })
      .from(offerNiches)
      .innerJoin(niches, eq(niches.slug, offerNiches.nicheSlug))
      .where(eq(offerNiches.offerId, offerId)),
    db.select().from(offerChanges).where(eq(offerChanges.offerId, offerId)).orderBy(desc(offerChanges.id)).limit(20),
    applicationsFor(db, tenant).latest(offerId, tenant.organization.id),
    getOrganizationProfile(db, row.merchant),
    offerSignals(db, row.offer),
  ]);
  return {
    offer: row.offer,
    merchant: {
      id: row.merchant.id,
      name: row.merchant.name,
      profile: merchantProfile.kind === "merchant" ? merchantProfile.profile : null,
    },
    niches: nicheRows,
    signals,
    changes,
    partnership,
    application,
    canApply: listed && !related && application?.status !== "pending" && tenant.organization.status === "active",
  };
}
