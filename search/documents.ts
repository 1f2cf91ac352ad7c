import { and, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "#db/client";
import { marketplaceStats, niches, offerNiches, offers, organizations } from "#db/schema";
import { decisionDays } from "~/lib/marketplace-signals";
import { describeHeadline, headline } from "~/lib/terms";
import { countryTokens } from "./countries";
import type { OfferDocument } from "./types";

const offerStats = alias(marketplaceStats, "offer_stats");
const merchantStats = alias(marketplaceStats, "merchant_stats");

/**
 * The documents for these offers, and the ids that must leave the index: only active, non-private
 * offers of active merchants are searchable. The figures are the 30-day marketplace signals (ADR 24):
 * the offer's EPC and conversion rate, its merchant's approval, days to decision and reversals.
 */
export async function buildOfferDocuments(db: Database, offerIds: string[]) {
  if (offerIds.length === 0) return { documents: [], removed: [] };
  const rows = await db
    .select({
      offer: offers,
      merchantName: organizations.name,
      merchantStatus: organizations.status,
      epcMinor: offerStats.epcMinor,
      conversionRateBps: offerStats.conversionRateBps,
      approvalRateBps: merchantStats.approvalRateBps,
      avgDecisionHours: merchantStats.avgDecisionHours,
      reversalRateBps: merchantStats.reversalRateBps,
    })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .leftJoin(offerStats, and(eq(offerStats.subject, "offer"), eq(offerStats.subjectId, offers.id), eq(offerStats.windowDays, 30)))
    .leftJoin(
      merchantStats,
      and(eq(merchantStats.subject, "merchant"), eq(merchantStats.subjectId, offers.merchantId), eq(merchantStats.windowDays, 30)),
    )
    .where(inArray(offers.id, offerIds));
  const searchable = rows.filter((r) => r.offer.status === "active" && r.offer.visibility !== "private" && r.merchantStatus === "active");
  const nicheRows = searchable.length
    ? await db
        .select({ offerId: offerNiches.offerId, slug: niches.slug, name: niches.name })
        .from(offerNiches)
        .innerJoin(niches, eq(niches.slug, offerNiches.nicheSlug))
        .where(
          and(
            inArray(
              offerNiches.offerId,
              searchable.map((r) => r.offer.id),
            ),
          ),
        )
    : [];
  const documents = searchable.map(({ offer, merchantName, ...signals }): OfferDocument => {
    const own = nicheRows.filter((n) => n.offerId === offer.id);
    const h = headline(offer.terms);
    return {
      id: offer.id,
      title: offer.title,
      description: offer.description.slice(0, 2000),
      merchantId: offer.merchantId,
      merchantName,
      nicheSlugs: own.map((n) => n.slug),
      nicheNames: own.map((n) => n.name),
      countries: countryTokens(offer.countryMode, offer.countries),
      payoutType: h.payoutType,
      headline: describeHeadline(offer.terms, offer.currency),
      commissionBps: h.bps,
      commissionFlatMinor: h.flatMinor,
      currency: offer.currency,
      approvalMode: offer.visibility === "public" ? "public" : "approval",
      epcMinor: signals.epcMinor,
      conversionRateBps: signals.conversionRateBps,
      merchantApprovalRateBps: signals.approvalRateBps,
      merchantAvgValidationDays: signals.avgDecisionHours === null ? null : decisionDays(signals.avgDecisionHours),
      merchantReversalRateBps: signals.reversalRateBps,
      createdAt: Math.floor((offer.publishedAt ?? offer.createdAt).getTime() / 1000),
    };
  });
  const kept = new Set(documents.map((d) => d.id));
  return { documents, removed: offerIds.filter((id) => !kept.has(id)) };
}
