import { inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { niches } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { queueOfferIndexing } from "#search/outbox";
import { writeAudit } from "../audit/audit.server";
import { DomainError } from "../errors.server";
import { contactEmails } from "../orgs/contacts.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { partnershipsFor } from "../applications/partnership-data.server";
import { offersFor, type Offer } from "./offer-data.server";
import { describeTerms } from "~/lib/terms";
import type { OfferInput, OfferPatch } from "./schemas";

export type { Offer } from "./offer-data.server";

function assertMerchantEditor(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can change offers." });
}

async function assertKnownNiches(db: Database, slugs: string[]) {
  const known = await db.select({ slug: niches.slug }).from(niches).where(inArray(niches.slug, slugs));
  const unknown = slugs.filter((s) => !known.some((k) => k.slug === s));
  if (unknown.length) throw new DomainError("unknown_niche", `Unknown niche: ${unknown.join(", ")}`, "niches");
}

/** What an offer's row is made of: the form's fields after parsing (or a row's, as stored), and its niches. */
type OfferEdit = { countries: string[]; trafficSources: string[]; currency: string } & Pick<
  OfferInput,
  | "title"
  | "description"
  | "landingUrl"
  | "clickIdParam"
  | "deepLinkDomains"
  | "niches"
  | "countryMode"
  | "terms"
  | "cookieDays"
  | "validationDays"
  | "caps"
  | "termsAndConditions"
  | "creatives"
  | "visibility"
  | "questions"
  | "autoApprove"
  | "reapplyCooldownDays"
>;

function columns(input: OfferEdit) {
  return {
    title: input.title,
    description: input.description,
    landingUrl: input.landingUrl,
    clickIdParam: input.clickIdParam,
    deepLinkDomains: input.deepLinkDomains,
    countryMode: input.countryMode,
    countries: input.countries,
    trafficSources: input.trafficSources,
    currency: input.currency,
    terms: input.terms,
    cookieDays: input.cookieDays,
    validationDays: input.validationDays,
    caps: input.caps,
    termsAndConditions: input.termsAndConditions,
    creatives: input.creatives,
    visibility: input.visibility,
    questions: input.questions,
    autoApprove: input.autoApprove,
    reapplyCooldownDays: input.reapplyCooldownDays,
  };
}

export async function createOffer(db: Database, tenant: Tenant, input: OfferInput) {
  assertMerchantEditor(tenant);
  await assertKnownNiches(db, input.niches);
  return db.transaction(async (tx) => {
    const own = offersFor(tx, tenant);
    const offer = await own.insert(columns(input));
    await own.setNiches(offer.id, input.niches);
    return offer;
  });
}

export async function getMerchantOffer(db: Database, tenant: Tenant, offerId: string) {
  const own = offersFor(db, tenant);
  const offer = await own.get(offerId);
  const [niches, changes] = await Promise.all([own.niches(offerId), own.changes(offerId)]);
  return { offer, niches, changes };
}

export async function listMerchantOffers(db: Database, tenant: Tenant) {
  return offersFor(db, tenant).list();
}

/** Whether new applications to the offer are approved at once. */
export async function setOfferAutoApprove(db: Database, tenant: Tenant, offerId: string, autoApprove: boolean) {
  assertMerchantEditor(tenant);
  return offersFor(db, tenant).update(offerId, { autoApprove });
}

/** Fields whose change partners must hear about, with how to say it. */
const PARTNER_VISIBLE = {
  terms: "Payout",
  cookieDays: "Cookie window (days)",
  validationDays: "Validation period (days)",
  countries: "Countries",
  countryMode: "Country rule",
  trafficSources: "Allowed traffic sources",
  termsAndConditions: "Terms and conditions",
  caps: "Caps",
} as const;

export async function updateOffer(db: Database, tenant: Tenant, offerId: string, input: OfferEdit, links: { appUrl: string }) {
  assertMerchantEditor(tenant);
  await assertKnownNiches(db, input.niches);
  return db.transaction(async (tx) => {
    const own = offersFor(tx, tenant);
    const before = await own.lockForUpdate(offerId);
    if (before.status === "archived") throw new DomainError("archived", "An archived offer cannot be changed.", undefined, 409);
    if (before.currency !== input.currency && (before.status === "active" || before.status === "paused")) {
      throw new DomainError("currency_locked", "The currency of a live offer cannot change.", "currency", 409);
    }
    const next = columns(input);
    const after = await own.update(offerId, next);
    await own.setNiches(offerId, input.niches);
    await queueOfferIndexing(tx, [offerId]);

    const live = before.status === "active" || before.status === "paused";
    const changed = (Object.keys(PARTNER_VISIBLE) as (keyof typeof PARTNER_VISIBLE)[]).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
    );
    if (live && changed.length) {
      const summary = changed.map((key) => PARTNER_VISIBLE[key]).join(", ");
      const pick = (o: Offer) => Object.fromEntries(changed.map((key) => [key, o[key]]));
      await own.recordChange(offerId, { summary: `Changed: ${summary}`, before: pick(before), after: pick(after) });
      const partners = await partnershipsFor(tx, tenant).list({ offerId, status: "active" });
      await emailPartners(
        tx,
        partners.map((p) => p.partnership.publisherId),
        {
          template: "offer_terms_changed",
          props: {
            offerTitle: after.title,
            changes: summary,
            before: describeTerms(before.terms, before.currency),
            after: describeTerms(after.terms, after.currency),
            url: `${links.appUrl}/app/marketplace/${offerId}`,
          },
        },
      );
    }
    return after;
  });
}

/**
 * Some of an offer's fields changed, the rest kept (a REST API PATCH): the same update as the form's,
 * with its rules, partner notices and change log.
 */
export async function patchOffer(db: Database, tenant: Tenant, offerId: string, patch: OfferPatch, links: { appUrl: string }) {
  const { offer, niches } = await getMerchantOffer(db, tenant, offerId);
  return updateOffer(
    db,
    tenant,
    offerId,
    {
      ...offer,
      niches,
      title: patch.title ?? offer.title,
      description: patch.description ?? offer.description,
      landingUrl: patch.landing_url ?? offer.landingUrl,
      cookieDays: patch.cookie_days ?? offer.cookieDays,
      validationDays: patch.validation_days ?? offer.validationDays,
      termsAndConditions: patch.terms_and_conditions ?? offer.termsAndConditions,
      visibility: patch.visibility ?? offer.visibility,
      autoApprove: patch.auto_approve ?? offer.autoApprove,
      reapplyCooldownDays: patch.reapply_cooldown_days ?? offer.reapplyCooldownDays,
    },
    links,
  );
}

/** Emails the owners and admins of the partners. */
async function emailPartners(
  db: Database,
  publisherIds: string[],
  email: { template: "offer_terms_changed"; props: Parameters<typeof enqueueEmail<"offer_terms_changed">>[3] },
) {
  for (const address of await contactEmails(db, publisherIds)) await enqueueEmail(db, address, email.template, email.props);
}

const merchantTransitions = {
  submit: { from: ["draft"], to: "in_review" },
  pause: { from: ["active"], to: "paused" },
  resume: { from: ["paused"], to: "active" },
  archive: { from: ["draft", "active", "paused"], to: "archived" },
} as const;
type MerchantOfferAction = keyof typeof merchantTransitions;

export async function changeOfferStatus(db: Database, tenant: Tenant, offerId: string, action: MerchantOfferAction) {
  assertMerchantEditor(tenant);
  if (action === "submit" && tenant.organization.status !== "active") {
    throw new DomainError("merchant_not_active", "Your organization must be approved before its offers can be reviewed.", undefined, 409);
  }
  const rule = merchantTransitions[action];
  return db.transaction(async (tx) => {
    const own = offersFor(tx, tenant);
    const offer = await own.lockForUpdate(offerId);
    if (!(rule.from as readonly string[]).includes(offer.status)) {
      throw new DomainError(
        "invalid_status",
        `A ${offer.status.replace("_", " ")} offer cannot be ${action === "submit" ? "submitted" : `${action}d`}.`,
        undefined,
        409,
      );
    }
    const after = await own.update(offerId, { status: rule.to });
    await queueOfferIndexing(tx, [offerId]);
    await writeAudit(tx, tenant.user, {
      action: `offer.${action}`,
      targetType: "offer",
      targetId: offerId,
      organizationId: tenant.organization.id,
      before: { status: offer.status },
      after: { status: rule.to },
    });
    return after;
  });
}
