import { asc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { niches, offerNiches, offers, organizations } from "#db/schema";
import type { StaffActor } from "../auth/staff.server";
import { notFound } from "../errors.server";
import { getOrganizationProfile } from "../orgs/organizations.server";

export async function listOffersForReview(db: Database, _staff: StaffActor) {
  return db
    .select({ offer: offers, merchantName: organizations.name })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(eq(offers.status, "in_review"))
    .orderBy(asc(offers.updatedAt));
}

export async function getOfferForReview(db: Database, _staff: StaffActor, offerId: string) {
  const [row] = await db
    .select({ offer: offers, merchant: organizations })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(eq(offers.id, offerId));
  if (!row) throw notFound("Offer not found");
  const [nicheRows, merchantProfile] = await Promise.all([
    db
      .select({ name: niches.name })
      .from(offerNiches)
      .innerJoin(niches, eq(niches.slug, offerNiches.nicheSlug))
      .where(eq(offerNiches.offerId, offerId))
      .orderBy(asc(niches.name)),
    getOrganizationProfile(db, row.merchant),
  ]);
  return { ...row, nicheNames: nicheRows.map((n) => n.name), merchantProfile };
}
