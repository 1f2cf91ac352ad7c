import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { niches, offerChanges, offerNiches, offers, partnerships } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { queueOfferIndexing } from "#search/outbox";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { contactEmails } from "../orgs/contacts.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { describeTerms } from "~/lib/terms";
import type { OfferInput } from "./schemas";

export type Offer = typeof offers.$inferSelect;

function assertMerchantEditor(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can change offers." });
}

async function assertKnownNiches(db: Database, slugs: string[]) {
  const known = await db.select({ slug: niches.slug }).from(niches).where(inArray(niches.slug, slugs));
  const unknown = slugs.filter((s) => !known.some((k) => k.slug === s));
  if (unknown.length) throw new DomainError("unknown_niche", `Unknown niche: ${unknown.join(", ")}`, "niches");
}

function columns(input: OfferInput) {
  return {
    title: input.title,
    description: input.description,
    landingUrl: input.landingUrl,
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

async function setNiches(db: Database, offerId: string, slugs: string[]) {
  await db.delete(offerNiches).where(eq(offerNiches.offerId, offerId));
  await db.insert(offerNiches).values([...new Set(slugs)].map((nicheSlug) => ({ offerId, nicheSlug })));
}

export async function createOffer(db: Database, tenant: Tenant, input: OfferInput) {
  assertMerchantEditor(tenant);
  await assertKnownNiches(db, input.niches);
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .insert(offers)
      .values({ merchantId: tenant.organization.id, ...columns(input) })
      .returning();
    await setNiches(tx, offer!.id, input.niches);
    return offer!;
  });
}

export async function getMerchantOffer(db: Database, tenant: Tenant, offerId: string) {
  const [offer] = await db
    .select()
    .from(offers)
    .where(and(eq(offers.id, offerId), eq(offers.merchantId, tenant.organization.id)));
  if (!offer) throw notFound("Offer not found");
  const nicheRows = await db.select({ slug: offerNiches.nicheSlug }).from(offerNiches).where(eq(offerNiches.offerId, offerId));
  const changes = await db.select().from(offerChanges).where(eq(offerChanges.offerId, offerId)).orderBy(desc(offerChanges.id)).limit(20);
  return { offer, niches: nicheRows.map((n) => n.slug), changes };
}

export async function listMerchantOffers(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  return db.select().from(offers).where(eq(offers.merchantId, tenant.organization.id)).orderBy(desc(offers.updatedAt));
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

export async function updateOffer(db: Database, tenant: Tenant, offerId: string, input: OfferInput, links: { appUrl: string }) {
  assertMerchantEditor(tenant);
  await assertKnownNiches(db, input.niches);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.id, offerId), eq(offers.merchantId, tenant.organization.id)))
      .for("update");
    if (!before) throw notFound("Offer not found");
    if (before.status === "archived") throw new DomainError("archived", "An archived offer cannot be changed.", undefined, 409);
    if (before.currency !== input.currency && (before.status === "active" || before.status === "paused")) {
      throw new DomainError("currency_locked", "The currency of a live offer cannot change.", "currency", 409);
    }
    const next = columns(input);
    const [after] = await tx
      .update(offers)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(offers.id, offerId))
      .returning();
    await setNiches(tx, offerId, input.niches);
    await queueOfferIndexing(tx, [offerId]);

    const live = before.status === "active" || before.status === "paused";
    const changed = (Object.keys(PARTNER_VISIBLE) as (keyof typeof PARTNER_VISIBLE)[]).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
    );
    if (live && changed.length) {
      const summary = changed.map((key) => PARTNER_VISIBLE[key]).join(", ");
      const pick = (o: Offer) => Object.fromEntries(changed.map((key) => [key, o[key]]));
      await tx
        .insert(offerChanges)
        .values({ offerId, actorUserId: tenant.user.id, summary: `Changed: ${summary}`, before: pick(before), after: pick(after!) });
      await emailPartners(tx, after!, {
        template: "offer_terms_changed",
        props: {
          offerTitle: after!.title,
          changes: summary,
          before: describeTerms(before.terms, before.currency),
          after: describeTerms(after!.terms, after!.currency),
          url: `${links.appUrl}/app/marketplace/${offerId}`,
        },
      });
    }
    return after!;
  });
}

/** Emails the owners and admins of every active partner of the offer. */
async function emailPartners(
  db: Database,
  offer: Offer,
  email: { template: "offer_terms_changed"; props: Parameters<typeof enqueueEmail<"offer_terms_changed">>[3] },
) {
  const partners = await db
    .select({ id: partnerships.publisherId })
    .from(partnerships)
    .where(and(eq(partnerships.offerId, offer.id), eq(partnerships.status, "active")));
  for (const address of await contactEmails(
    db,
    partners.map((p) => p.id),
  ))
    await enqueueEmail(db, address, email.template, email.props);
}

const merchantTransitions = {
  submit: { from: ["draft"], to: "in_review" },
  pause: { from: ["active"], to: "paused" },
  resume: { from: ["paused"], to: "active" },
  archive: { from: ["draft", "active", "paused"], to: "archived" },
} as const;
export type MerchantOfferAction = keyof typeof merchantTransitions;

export async function changeOfferStatus(db: Database, tenant: Tenant, offerId: string, action: MerchantOfferAction) {
  assertMerchantEditor(tenant);
  if (action === "submit" && tenant.organization.status !== "active") {
    throw new DomainError("merchant_not_active", "Your organization must be approved before its offers can be reviewed.", undefined, 409);
  }
  const rule = merchantTransitions[action];
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.id, offerId), eq(offers.merchantId, tenant.organization.id)))
      .for("update");
    if (!offer) throw notFound("Offer not found");
    if (!(rule.from as readonly string[]).includes(offer.status)) {
      throw new DomainError(
        "invalid_status",
        `A ${offer.status.replace("_", " ")} offer cannot be ${action === "submit" ? "submitted" : `${action}d`}.`,
        undefined,
        409,
      );
    }
    const [after] = await tx.update(offers).set({ status: rule.to, updatedAt: new Date() }).where(eq(offers.id, offerId)).returning();
    await queueOfferIndexing(tx, [offerId]);
    await writeAudit(tx, tenant.user, {
      action: `offer.${action}`,
      targetType: "offer",
      targetId: offerId,
      organizationId: tenant.organization.id,
      before: { status: offer.status },
      after: { status: rule.to },
    });
    return after!;
  });
}
