import type { Database } from "#db/client";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { changeOfferStatus, createOffer } from "~/modules/offers/offers.server";
import { reviewOffer } from "~/modules/offers/review.server";
import { offerFormSchema } from "~/modules/offers/schemas";
import type { Tenant } from "~/modules/orgs/tenant.server";
import { links } from "./factories";

/** The offer form as a merchant fills it, before parsing. */
export function offerForm(overrides: Record<string, unknown> = {}) {
  return {
    title: "Ultralight tents for thru-hikers",
    description: "Northwind's best-selling tents for long trails. **Free returns** for 60 days.",
    landingUrl: "https://northwind.example/tents",
    deepLinkDomains: "northwind.example",
    niches: ["outdoors"],
    countryMode: "all",
    countries: [],
    trafficSources: [],
    currency: "USD",
    terms: [{ event: "sale", type: "cps", amount: "", percent: "8", tiers: [{ minConversions: "50", amount: "", percent: "10" }] }],
    cookieDays: "30",
    validationDays: "30",
    termsAndConditions: "No brand bidding.",
    bannerUrls: "",
    textLinks: "",
    guidelines: "",
    visibility: "approval",
    questions: "",
    autoApprove: "",
    reapplyCooldownDays: "30",
    ...overrides,
  };
}

/** The staff user who approves offers, one per database: a user of one database does not exist in another. */
const reviewers = new WeakMap<Database, Promise<StaffActor>>();

function reviewerIn(db: Database) {
  let reviewer = reviewers.get(db);
  if (!reviewer) {
    reviewer = createStaffUser(db, { email: `staff-${Date.now()}@network.example`, password: "staff passphrase 1", name: "Staff" });
    reviewers.set(db, reviewer);
  }
  return reviewer;
}

/** Creates the offer, submits it and has staff approve it: an active offer. */
export async function createActiveOffer(db: Database, merchant: Tenant, overrides: Record<string, unknown> = {}) {
  const staff = await reviewerIn(db);
  const offer = await createOffer(db, merchant, offerFormSchema.parse(offerForm(overrides)));
  await changeOfferStatus(db, merchant, offer.id, "submit");
  return reviewOffer(db, staff, { offerId: offer.id, decision: "approve" }, links);
}
