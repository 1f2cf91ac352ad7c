import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { organizations, type OfferTerm } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { offersFor, type Offer } from "../offers/offer-data.server";
import { describeTerms } from "~/lib/terms";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { notifyOrganization } from "./notify.server";
import { partnershipsFor } from "./partnership-data.server";

type Links = { appUrl: string };

function assertMerchantAdmin(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can manage partners." });
}

/** What a partnership row shows of its offer. */
const offerSummary = (offer: Offer) => ({ id: offer.id, title: offer.title, currency: offer.currency, terms: offer.terms });

export async function listMerchantPartnerships(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const rows = await partnershipsFor(db, tenant).list();
  return rows.map(({ partnership, offer, counterpart }) => ({ partnership, offer: offerSummary(offer), publisherName: counterpart.name }));
}

export async function listPublisherPartnerships(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const rows = await partnershipsFor(db, tenant).list();
  return rows.map(({ partnership, offer, counterpart }) => ({ partnership, offer: offerSummary(offer), merchantName: counterpart.name }));
}

const transitions = {
  pause: { from: ["active"], to: "paused", heading: "paused" },
  resume: { from: ["paused"], to: "active", heading: "resumed" },
  end: { from: ["invited", "active", "paused"], to: "ended", heading: "ended" },
} as const;

export async function changePartnershipStatus(
  db: Database,
  tenant: Tenant,
  input: { partnershipId: string; action: keyof typeof transitions },
  links: Links,
) {
  assertMerchantAdmin(tenant);
  const rule = transitions[input.action];
  await db.transaction(async (tx) => {
    const own = partnershipsFor(tx, tenant);
    const { partnership, offer } = await own.lockForUpdate(input.partnershipId);
    if (!(rule.from as readonly string[]).includes(partnership.status)) {
      throw new DomainError("invalid_status", `A partnership that is ${partnership.status} cannot be ${rule.heading}.`, undefined, 409);
    }
    await own.update(partnership.id, { status: rule.to });
    await writeAudit(tx, tenant.user, {
      action: `partnership.${input.action}`,
      targetType: "partnership",
      targetId: partnership.id,
      organizationId: tenant.organization.id,
      before: { status: partnership.status },
      after: { status: rule.to },
    });
    await notifyOrganization(tx, partnership.publisherId, {
      heading: `Your partnership with ${offer.title} is ${rule.heading}`,
      body: `${tenant.organization.name} ${rule.heading} your partnership on ${offer.title}.`,
      url: `${links.appUrl}/app/partnerships`,
      action: "Open your partnerships",
    });
  });
}

/** A custom rate for one partner, for events of the offer; null goes back to the offer's terms. */
export async function setCustomTerms(
  db: Database,
  tenant: Tenant,
  input: { partnershipId: string; terms: OfferTerm[] | null },
  links: Links,
) {
  assertMerchantAdmin(tenant);
  await db.transaction(async (tx) => {
    const own = partnershipsFor(tx, tenant);
    const { partnership, offer } = await own.lockForUpdate(input.partnershipId);
    const events = new Set(offer.terms.map((t) => t.event));
    const unknown = input.terms?.find((t) => !events.has(t.event));
    if (unknown) throw new DomainError("unknown_event", `The offer has no ${unknown.event} event.`, "terms");
    await own.update(partnership.id, { customTerms: input.terms });
    await writeAudit(tx, tenant.user, {
      action: "partnership.custom_terms_set",
      targetType: "partnership",
      targetId: partnership.id,
      organizationId: tenant.organization.id,
      before: { customTerms: partnership.customTerms },
      after: { customTerms: input.terms },
    });
    await notifyOrganization(tx, partnership.publisherId, {
      heading: `New rate for you on ${offer.title}`,
      body: input.terms
        ? `${tenant.organization.name} set a custom rate for you: ${describeTerms(input.terms, offer.currency)}.`
        : `Your rate on ${offer.title} is back to the offer's terms: ${describeTerms(offer.terms, offer.currency)}.`,
      url: `${links.appUrl}/app/partnerships`,
      action: "Open your partnerships",
    });
  });
}

/** The only way into a private offer: the merchant invites a publisher by its handle. */
export async function invitePublisher(db: Database, tenant: Tenant, input: { offerId: string; publisherSlug: string }, links: Links) {
  assertMerchantAdmin(tenant);
  await db.transaction(async (tx) => {
    const offer = await offersFor(tx, tenant).get(input.offerId);
    if (offer.status !== "active") throw new DomainError("offer_not_active", "Invite publishers once the offer is live.", undefined, 409);
    const [publisher] = await tx.select().from(organizations).where(eq(organizations.slug, input.publisherSlug));
    if (!publisher || publisher.kind !== "publisher" || publisher.status !== "active") {
      throw new DomainError("unknown_publisher", "No active publisher has this handle.", "publisherSlug");
    }
    const own = partnershipsFor(tx, tenant);
    const existing = await own.find(offer.id, publisher.id);
    if (existing && existing.status !== "ended")
      throw new DomainError("already_partner", "This publisher is already invited or a partner.", "publisherSlug", 409);
    const invited = await own.open({ offerId: offer.id, publisherId: publisher.id, status: "invited" });
    await writeAudit(tx, tenant.user, {
      action: "partnership.invited",
      targetType: "partnership",
      targetId: invited.id,
      organizationId: tenant.organization.id,
      after: { publisher: publisher.slug },
    });
    await notifyOrganization(tx, publisher.id, {
      heading: `${tenant.organization.name} invites you to ${offer.title}`,
      body: `A private offer: ${describeTerms(offer.terms, offer.currency)}. Accept the invitation to start promoting it.`,
      url: `${links.appUrl}/app/partnerships`,
      action: "See the invitation",
    });
  });
}

export async function acceptPartnershipInvitation(db: Database, tenant: Tenant, partnershipId: string, links: Links) {
  assertTenant(tenant, { kind: "publisher", role: "admin", forbidden: "Only owners and admins can accept invitations." });
  await db.transaction(async (tx) => {
    const own = partnershipsFor(tx, tenant);
    const row = await own.lockForUpdate(partnershipId);
    if (row.partnership.status !== "invited") throw notFound("Invitation not found");
    await own.update(partnershipId, { status: "active" });
    await writeAudit(tx, tenant.user, {
      action: "partnership.accepted",
      targetType: "partnership",
      targetId: partnershipId,
      organizationId: tenant.organization.id,
      before: { status: "invited" },
      after: { status: "active" },
    });
    await notifyOrganization(tx, row.offer.merchantId, {
      heading: `${tenant.organization.name} accepted your invitation to ${row.offer.title}`,
      body: "They can promote the offer now.",
      url: `${links.appUrl}/app/partners`,
      action: "Open partners",
    });
  });
}

/** A partnership on one of the merchant's own offers, with the offer; 404 for anyone else's. */
export async function getMerchantPartnership(db: Database, tenant: Tenant, partnershipId: string) {
  assertTenant(tenant, { kind: "merchant" });
  return partnershipsFor(db, tenant).get(partnershipId);
}
