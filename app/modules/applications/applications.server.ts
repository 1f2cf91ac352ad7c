import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { applications, offers, organizations, partnerships } from "#db/schema";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { setOfferAutoApprove } from "../offers/offers.server";
import { getPublisherProfiles } from "../orgs/organizations.server";
import { assertTenant, type Tenant } from "../orgs/tenant.server";
import { applicationsFor } from "./application-data.server";
import { notifyOrganization } from "./notify.server";
import { partnershipsFor } from "./partnership-data.server";
import { DAY_MS } from "~/lib/time";

type Links = { appUrl: string };

function assertActivePublisher(tenant: Tenant) {
  assertTenant(tenant, { role: "admin", forbidden: "Only owners and admins can apply to offers." });
  if (tenant.organization.status !== "active")
    throw new DomainError("publisher_not_active", "Your organization must be approved before it can apply to offers.", undefined, 409);
}

/**
 * Applies to an offer. A public (or auto-approve) offer makes the partnership at once; a private
 * one cannot be applied to at all. One open application per publisher and offer; after a rejection,
 * the offer's cooldown must pass.
 */
export async function applyToOffer(
  db: Database,
  tenant: Tenant,
  input: { offerId: string; message: string; answers: string[]; acceptTerms: boolean },
  links: Links,
) {
  assertTenant(tenant, { kind: "publisher" });
  const publisherId = tenant.organization.id;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ offer: offers, merchantStatus: organizations.status })
      .from(offers)
      .innerJoin(organizations, eq(organizations.id, offers.merchantId))
      .where(eq(offers.id, input.offerId));
    // An offer the publisher may not see is 404 before anything else is said about it.
    if (!row || row.offer.visibility === "private" || row.offer.status !== "active" || row.merchantStatus !== "active")
      throw notFound("Offer not found");
    assertActivePublisher(tenant);
    const offer = row.offer;
    if (!input.acceptTerms) throw new DomainError("terms_required", "Accept the offer's terms to apply.", "acceptTerms");
    if (input.answers.length !== offer.questions.length || input.answers.some((a) => a.trim() === "")) {
      throw new DomainError("answers_required", "Answer every question of the merchant.", "answers");
    }
    // Serializes applications of one publisher to one offer, so two at once cannot both pass.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${offer.id}:${publisherId}`}))`);
    const ownApplications = applicationsFor(tx, tenant);
    const ownPartnerships = partnershipsFor(tx, tenant);
    const partnership = await ownPartnerships.find(offer.id, publisherId);
    if (partnership && partnership.status !== "ended")
      throw new DomainError("already_partner", "You are already a partner of this offer.", undefined, 409);
    const last = await ownApplications.latest(offer.id, publisherId);
    if (last?.status === "pending")
      throw new DomainError("already_applied", "Your application is waiting for the merchant.", undefined, 409);
    if (last?.status === "rejected" && last.decidedAt) {
      const reopens = new Date(last.decidedAt.getTime() + offer.reapplyCooldownDays * DAY_MS);
      if (reopens > new Date()) {
        throw new DomainError(
          "cooldown",
          `The merchant declined your last application. You can apply again from ${reopens.toISOString().slice(0, 10)}.`,
          undefined,
          409,
        );
      }
    }
    const instant = offer.visibility === "public" || offer.autoApprove;
    const application = await ownApplications.insert({
      offerId: offer.id,
      status: instant ? "approved" : "pending",
      message: input.message,
      answers: offer.questions.map((question, i) => ({ question, answer: input.answers[i]!.trim() })),
      termsAcceptedAt: new Date(),
      decidedAt: instant ? new Date() : null,
    });
    if (instant) await ownPartnerships.open({ offerId: offer.id, publisherId, status: "active" });
    await writeAudit(tx, tenant.user, {
      action: instant ? "application.auto_approved" : "application.submitted",
      targetType: "application",
      targetId: application.id,
      organizationId: publisherId,
      after: { offerId: offer.id, status: application.status },
    });
    await notifyOrganization(tx, offer.merchantId, {
      heading: instant ? `${tenant.organization.name} joined ${offer.title}` : `${tenant.organization.name} applied to ${offer.title}`,
      body: instant ? "They can promote the offer now." : "Review their profile and decide in your applications inbox.",
      url: `${links.appUrl}/app/applications`,
      action: "Open applications",
    });
    return application;
  });
}

/** The merchant approves or rejects an application to one of its own offers. */
export async function decideApplication(
  db: Database,
  tenant: Tenant,
  input: { applicationId: string; decision: "approve" | "reject"; reason?: string },
  links: Links,
) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can decide applications." });
  const reason = input.reason?.trim() || null;
  if (input.decision === "reject" && !reason)
    throw new DomainError("reason_required", "Give a reason: the publisher will read it.", "reason");
  return db.transaction(async (tx) => {
    const ownApplications = applicationsFor(tx, tenant);
    const row = await ownApplications.lockForUpdate(input.applicationId);
    if (row.application.status !== "pending")
      throw new DomainError("already_decided", `This application is already ${row.application.status}.`, undefined, 409);
    const approve = input.decision === "approve";
    await ownApplications.decide(row.application.id, {
      status: approve ? "approved" : "rejected",
      decisionReason: reason,
      decidedAt: new Date(),
      decidedByUserId: tenant.user.id,
    });
    if (approve)
      await partnershipsFor(tx, tenant).open({ offerId: row.offer.id, publisherId: row.application.publisherId, status: "active" });
    await writeAudit(tx, tenant.user, {
      action: `application.${approve ? "approved" : "rejected"}`,
      targetType: "application",
      targetId: row.application.id,
      organizationId: tenant.organization.id,
      before: { status: "pending" },
      after: { status: approve ? "approved" : "rejected", reason },
    });
    await notifyOrganization(tx, row.application.publisherId, {
      heading: approve ? `You are approved for ${row.offer.title}` : `${row.offer.title} declined your application`,
      body: approve
        ? `${tenant.organization.name} approved your application. You can promote the offer now.`
        : `${tenant.organization.name} did not approve your application.`,
      reason,
      url: `${links.appUrl}/app/partnerships`,
      action: "Open your partnerships",
    });
  });
}

/** Whether applications to the offer are approved without the merchant; the offers module owns the flag. */
export async function setAutoApprove(db: Database, tenant: Tenant, offerId: string, autoApprove: boolean) {
  await db.transaction(async (tx) => {
    await setOfferAutoApprove(tx, tenant, offerId, autoApprove);
    await writeAudit(tx, tenant.user, {
      action: "offer.auto_approve_set",
      targetType: "offer",
      targetId: offerId,
      organizationId: tenant.organization.id,
      after: { autoApprove },
    });
  });
}

/** The merchant's inbox: applications to its offers, with each publisher's profile and history. */
export async function listMerchantApplications(db: Database, tenant: Tenant, status: "pending" | "approved" | "rejected") {
  assertTenant(tenant, { kind: "merchant" });
  const rows = await applicationsFor(db, tenant).list({ status, limit: 100 });
  const publisherIds = [...new Set(rows.map((r) => r.counterpart.id))];
  const [profiles, records] = await Promise.all([getPublisherProfiles(db, publisherIds), publisherTrackRecords(db, publisherIds)]);
  return rows.map(({ application, offer, counterpart }) => ({
    application,
    offer: { id: offer.id, title: offer.title, autoApprove: offer.autoApprove, visibility: offer.visibility },
    publisher: counterpart,
    ...records.get(counterpart.id)!,
    profile: profiles.get(counterpart.id)!,
  }));
}

/** How publishers fare across the whole network, for merchants deciding on their applications. */
async function publisherTrackRecords(db: Database, publisherIds: string[]) {
  const rows = await db
    .select({
      id: organizations.id,
      activePartnerships: sql<number>`(select count(*)::int from ${partnerships} p where p.publisher_id = ${organizations.id} and p.status = 'active')`,
      approvedElsewhere: sql<number>`(select count(*)::int from ${applications} a where a.publisher_id = ${organizations.id} and a.status = 'approved')`,
      rejectedElsewhere: sql<number>`(select count(*)::int from ${applications} a where a.publisher_id = ${organizations.id} and a.status = 'rejected')`,
    })
    .from(organizations)
    .where(inArray(organizations.id, publisherIds));
  return new Map(rows.map(({ id, ...record }) => [id, record]));
}

export async function listPublisherApplications(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher" });
  const rows = await applicationsFor(db, tenant).list();
  return rows.map(({ application, offer, counterpart }) => ({ application, offerTitle: offer.title, merchantName: counterpart.name }));
}
