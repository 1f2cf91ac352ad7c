import { and, desc, eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { offers, organizations, partnerships, type OfferTerm } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { describeTerms } from "~/lib/terms";
import { assertTenant, hasRole, type Tenant } from "../orgs/tenant.server";
import { notifyOrganization } from "./notify.server";

type Links = { appUrl: string };

function assertMerchantAdmin(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can manage partners." });
}

export async function listMerchantPartnerships(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  return db
    .select({
      partnership: partnerships,
      offer: { id: offers.id, title: offers.title, currency: offers.currency, terms: offers.terms },
      publisherName: organizations.name,
    })
    .from(partnerships)
    .innerJoin(offers, eq(offers.id, partnerships.offerId))
    .innerJoin(organizations, eq(organizations.id, partnerships.publisherId))
    .where(eq(offers.merchantId, tenant.organization.id))
    .orderBy(desc(partnerships.updatedAt));
}

export async function listPublisherPartnerships(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  return db
    .select({
      partnership: partnerships,
      offer: { id: offers.id, title: offers.title, currency: offers.currency, terms: offers.terms },
      merchantName: organizations.name,
    })
    .from(partnerships)
    .innerJoin(offers, eq(offers.id, partnerships.offerId))
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(eq(partnerships.publisherId, tenant.organization.id))
    .orderBy(desc(partnerships.updatedAt));
}

function lockMerchantPartnership(tx: Database, tenant: Tenant, partnershipId: string) {
  return getMerchantPartnership(tx, tenant, partnershipId, true);
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
    const { partnership, offer } = await lockMerchantPartnership(tx, tenant, input.partnershipId);
    if (!(rule.from as readonly string[]).includes(partnership.status)) {
      throw new DomainError("invalid_status", `A partnership that is ${partnership.status} cannot be ${rule.heading}.`, undefined, 409);
    }
    await tx.update(partnerships).set({ status: rule.to, updatedAt: new Date() }).where(eq(partnerships.id, partnership.id));
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
    const { partnership, offer } = await lockMerchantPartnership(tx, tenant, input.partnershipId);
    const events = new Set(offer.terms.map((t) => t.event));
    const unknown = input.terms?.find((t) => !events.has(t.event));
    if (unknown) throw new DomainError("unknown_event", `The offer has no ${unknown.event} event.`, "terms");
    await tx.update(partnerships).set({ customTerms: input.terms, updatedAt: new Date() }).where(eq(partnerships.id, partnership.id));
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
    const [offer] = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.id, input.offerId), eq(offers.merchantId, tenant.organization.id)));
    if (!offer) throw notFound("Offer not found");
    if (offer.status !== "active") throw new DomainError("offer_not_active", "Invite publishers once the offer is live.", undefined, 409);
    const [publisher] = await tx.select().from(organizations).where(eq(organizations.slug, input.publisherSlug));
    if (!publisher || publisher.kind !== "publisher" || publisher.status !== "active") {
      throw new DomainError("unknown_publisher", "No active publisher has this handle.", "publisherSlug");
    }
    const [existing] = await tx
      .select()
      .from(partnerships)
      .where(and(eq(partnerships.offerId, offer.id), eq(partnerships.publisherId, publisher.id)));
    if (existing && existing.status !== "ended")
      throw new DomainError("already_partner", "This publisher is already invited or a partner.", "publisherSlug", 409);
    const [invited] = await tx
      .insert(partnerships)
      .values({ offerId: offer.id, publisherId: publisher.id, status: "invited" })
      .onConflictDoUpdate({ target: [partnerships.offerId, partnerships.publisherId], set: { status: "invited", updatedAt: new Date() } })
      .returning();
    await writeAudit(tx, tenant.user, {
      action: "partnership.invited",
      targetType: "partnership",
      targetId: invited!.id,
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
  if (tenant.organization.kind !== "publisher" || !hasRole(tenant, "admin")) throw notFound();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ partnership: partnerships, offer: offers })
      .from(partnerships)
      .innerJoin(offers, eq(offers.id, partnerships.offerId))
      .where(
        and(eq(partnerships.id, partnershipId), eq(partnerships.publisherId, tenant.organization.id), eq(partnerships.status, "invited")),
      )
      .for("update", { of: partnerships });
    if (!row) throw notFound("Invitation not found");
    await tx.update(partnerships).set({ status: "active", updatedAt: new Date() }).where(eq(partnerships.id, partnershipId));
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
export async function getMerchantPartnership(db: Database, tenant: Tenant, partnershipId: string, forUpdate = false) {
  const query = db
    .select({ partnership: partnerships, offer: offers })
    .from(partnerships)
    .innerJoin(offers, eq(offers.id, partnerships.offerId))
    .where(and(eq(partnerships.id, partnershipId), eq(offers.merchantId, tenant.organization.id)));
  const [row] = forUpdate ? await query.for("update", { of: partnerships }) : await query;
  if (!row) throw notFound("Partnership not found");
  return row;
}
