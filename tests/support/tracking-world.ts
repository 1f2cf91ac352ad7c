import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { partnerships, postbackCredentials, trackingLinks } from "#db/schema";
import { applyToOffer } from "~/modules/applications/applications.server";
import { hashToken } from "~/modules/auth/tokens.server";
import { createOrgWithOwner, links } from "./factories";
import { createActiveOffer } from "./offers";

/**
 * A merchant with a live offer, a publisher in an active partnership on it (so a tracking link),
 * and the merchant's postback token and signing secret.
 */
export async function buildTrackingWorld(db: Database, offerOverrides: Record<string, unknown> = {}) {
  const merchant = await createOrgWithOwner(db, "merchant");
  const publisher = await createOrgWithOwner(db, "publisher");
  const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public", ...offerOverrides });
  await applyToOffer(db, publisher.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
  const [partnership] = await db
    .select()
    .from(partnerships)
    .where(and(eq(partnerships.offerId, offer.id), eq(partnerships.publisherId, publisher.organization.id)));
  const [link] = await db.select().from(trackingLinks).where(eq(trackingLinks.partnershipId, partnership!.id));
  const token = `sbp_test_${merchant.organization.id}`;
  const signingSecret = `sbs_test_${merchant.organization.id}`;
  await db.insert(postbackCredentials).values({
    merchantId: merchant.organization.id,
    tokenHash: hashToken(token),
    tokenHint: token.slice(0, 8),
    signingSecret,
  });
  return { merchant, publisher, offer, partnership: partnership!, link: link!, token, signingSecret };
}
