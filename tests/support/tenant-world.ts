import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Database } from "#db/client";
import { drizzleExecutor } from "#db/jobs/executors";
import { offerIndexing } from "#db/jobs/queues";
import { memberships, payouts } from "#db/schema";
import { createApiKey } from "~/modules/api/keys.server";
import { applyToOffer } from "~/modules/applications/applications.server";
import { changePartnershipStatus, invitePublisher } from "~/modules/applications/partnerships.server";
import { createSession } from "~/modules/auth/sessions.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { setMerchantFee } from "~/modules/commissions/fees.server";
import { issueInvoicesNow } from "~/modules/invoices/issuing.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { runPayouts } from "~/modules/payouts/run.server";
import { payoutSettingsSchema } from "~/modules/payouts/schemas";
import { savePayoutSettings } from "~/modules/payouts/settings.server";
import { savePublisherPostback, sendTestPublisherPostback } from "~/modules/publisher-postbacks/postbacks.server";
import { assignCoupon } from "~/modules/tracking/coupons.server";
import { changeOfferStatus, createOffer } from "~/modules/offers/offers.server";
import { offerFormSchema } from "~/modules/offers/schemas";
import { acceptInvitation, inviteMember } from "~/modules/orgs/team.server";
import type { Tenant } from "~/modules/orgs/tenant.server";
import { insertInvoiceFor } from "./billing-rows";
import { createOrgWithOwner, createUser, emailsTo, findPartnership, linkIn, links, uniqueEmail } from "./factories";
import { createActiveOffer, offerForm } from "./offers";
import { insertConversion } from "./tracking-rows";
import type { Actor } from "./route-harness";

export type ActorName = "anonymous" | "merchantA" | "publisherA" | "merchantB" | "publisherB" | "staff";

/** A word no other row contains, so its appearance in a page means this very row leaked. */
function secret(label: string) {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

async function organization(db: Database, kind: "merchant" | "publisher") {
  const org = await createOrgWithOwner(db, kind);
  const actor: Actor = { name: `${kind} owner`, sessionToken: org.owner.sessionToken };
  return { ...org, actor };
}

async function offerOf(db: Database, merchant: Tenant, title: string, overrides: Record<string, unknown> = {}) {
  return createOffer(db, merchant, offerFormSchema.parse(offerForm({ title, ...overrides })));
}

/** The token of the invitation email to the address: the link is the only place it exists. */
async function invitationToken(db: Database, email: string) {
  const mail = (await emailsTo(db, email)).find((m) => m.template === "invitation");
  return linkIn(mail!.text, `${links.appUrl}/invitations/`).split("/").at(-1)!;
}

/**
 * Two sides of the network, built through the domain functions: side A (a merchant and a publisher)
 * owns a resource in every state some action accepts; side B (a merchant and a publisher) owns
 * little, and is who tries to reach A's. Plus staff and an anonymous visitor.
 */
export async function buildTenantWorld(db: Database) {
  const merchantA = await organization(db, "merchant");
  const publisherA = await organization(db, "publisher");
  const merchantB = await organization(db, "merchant");
  const publisherB = await organization(db, "publisher");
  const staffUser = await createStaffUser(db, { email: uniqueEmail("staff"), password: "staff passphrase 1", name: "Staff" });
  const staffSession = await createSession(db, staffUser.id);

  const titles = {
    approval: "Approval-only offer",
    public: "Open offer",
    paused: secret("Paused offer"),
    private: secret("Private offer"),
    draft: secret("Draft offer"),
    inReview: secret("Offer in review"),
  };
  const approvalOffer = await createActiveOffer(db, merchantA.tenant, { title: titles.approval });
  const publicOffer = await createActiveOffer(db, merchantA.tenant, { title: titles.public, visibility: "public" });
  const pausedOffer = await createActiveOffer(db, merchantA.tenant, { title: titles.paused, visibility: "public" });
  const privateOffer = await createActiveOffer(db, merchantA.tenant, { title: titles.private, visibility: "private" });
  const draftOffer = await offerOf(db, merchantA.tenant, titles.draft);
  const inReviewOffer = await offerOf(db, merchantA.tenant, titles.inReview);
  await changeOfferStatus(db, merchantA.tenant, inReviewOffer.id, "submit");
  await createActiveOffer(db, merchantB.tenant, { title: "Merchant B's offer" });

  const applicationMessage = secret("Application message");
  const application = await applyToOffer(
    db,
    publisherA.tenant,
    { offerId: approvalOffer.id, message: applicationMessage, answers: [], acceptTerms: true },
    links,
  );
  const apply = { message: "", answers: [], acceptTerms: true };
  await applyToOffer(db, publisherA.tenant, { offerId: publicOffer.id, ...apply }, links);
  await applyToOffer(db, publisherA.tenant, { offerId: pausedOffer.id, ...apply }, links);
  const activePartnership = (await findPartnership(db, publicOffer.id, publisherA.organization.id)).id;
  const pausedPartnership = (await findPartnership(db, pausedOffer.id, publisherA.organization.id)).id;
  await changePartnershipStatus(db, merchantA.tenant, { partnershipId: pausedPartnership, action: "pause" }, links);
  await changeOfferStatus(db, merchantA.tenant, pausedOffer.id, "pause");
  await invitePublisher(db, merchantA.tenant, { offerId: privateOffer.id, publisherSlug: publisherA.organization.slug }, links);
  const invitedPartnership = (await findPartnership(db, privateOffer.id, publisherA.organization.id)).id;

  const member = await createUser(db);
  const memberInvitation = await inviteMember(db, merchantA.tenant, { email: member.user.email, role: "member" }, links);
  await acceptInvitation(db, { user: member.user, sessionId: member.session.id }, await invitationToken(db, member.user.email));
  const [memberMembership] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.organizationId, merchantA.organization.id), eq(memberships.userId, member.user.id)));
  const inviteeEmail = uniqueEmail("invitee");
  const openInvitation = await inviteMember(db, merchantA.tenant, { email: inviteeEmail, role: "admin" }, links);
  const openInvitationToken = await invitationToken(db, inviteeEmail);

  await setMerchantFee(db, staffUser, merchantA.organization.slug, { bps: 1500, minimums: {} });

  const couponCode = `A${randomUUID().slice(0, 8)}`;
  const coupon = await assignCoupon(db, merchantA.tenant, { partnershipId: activePartnership, code: couponCode });
  // The engine's own rows: a priced conversion on A's active partnership, as a postback would record it.
  const orderId = secret("order").replace(" ", "-");
  const conversion = await insertConversion(db, activePartnership, { orderId, sub1: "a-side-placement" });
  // One fraud screening held, for the staff fraud queue's decisions.
  const heldOrderId = secret("held-order").replace(" ", "-");
  const heldConversion = await insertConversion(db, activePartnership, {
    orderId: heldOrderId,
    hold: "held",
    screenedAt: new Date(),
    fraudSignals: [{ code: "fast_conversion", evidence: "Converted 2 s after the click (threshold 10 s)." }],
  });

  // A's invoice, of one approved conversion: for the invoice pages, their PDF and CSV, a payment and a void.
  const billedOrderId = secret("billed-order").replace(" ", "-");
  const billedConversion = await insertConversion(db, activePartnership, { orderId: billedOrderId });
  await db.transaction((tx) =>
    changeConversions(tx, sql`true`, { kind: "job", label: "Tenant world" }, [billedConversion.id], { action: "approve" }),
  );
  const { issued } = await issueInvoicesNow(db, staffUser, merchantA.organization.id, new Date(Date.now() + 1_000), links);
  const invoiceId = issued[0]!.id;

  // A's postback address (at a name that does not resolve, so a test send fails fast) and one call in its log.
  const postbackPath = secret("postback").replace(" ", "-");
  const postback = await savePublisherPostback(
    db,
    publisherA.tenant,
    { offerId: publicOffer.id, urlTemplate: `https://publisher-a.invalid/${postbackPath}?click={click_id}` },
    { allowLoopback: false },
  );
  const postbackTest = await sendTestPublisherPostback(db, publisherA.tenant, { postbackId: postback.id }, { allowLoopback: false });

  // A's payout: settings, an approved conversion on a paid invoice, and a run that made a pending payout of it.
  const payoutHolder = secret("Payout holder");
  await savePayoutSettings(
    db,
    publisherA.tenant,
    payoutSettingsSchema.parse({ method: "bank_transfer", accountHolder: payoutHolder, iban: "DE89370400440532013000", thresholds: {} }),
  );
  const paidOut = await insertConversion(db, activePartnership, {
    orderId: secret("payout-order").replace(" ", "-"),
    commissionMinor: 6_000,
  });
  const staffActor = { kind: "staff" as const, userId: staffUser.id, label: staffUser.email };
  await db.transaction((tx) => changeConversions(tx, sql`true`, staffActor, [paidOut.id], { action: "approve" }));
  await insertInvoiceFor(db, [paidOut.id], "paid");
  const payoutRun = await runPayouts(db, staffUser);
  const [payout] = await db.select({ id: payouts.id }).from(payouts).where(eq(payouts.runId, payoutRun.runId));

  // A's API key: for the keys page's revoke.
  const apiKeyName = secret("API key");
  const apiKey = await createApiKey(db, merchantA.tenant, { name: apiKeyName });

  const a = {
    merchant: merchantA.organization,
    publisher: publisherA.organization,
    merchantOwnerEmail: merchantA.owner.user.email,
    offers: {
      approval: approvalOffer,
      public: publicOffer,
      paused: pausedOffer,
      private: privateOffer,
      draft: draftOffer,
      inReview: inReviewOffer,
    },
    applicationId: application.id,
    partnerships: { active: activePartnership, paused: pausedPartnership, invited: invitedPartnership },
    memberMembershipId: memberMembership!.id,
    openInvitation: { id: openInvitation.id, token: openInvitationToken, email: inviteeEmail },
    memberInvitationId: memberInvitation.id,
    emailId: (await emailsTo(db, inviteeEmail))[0]!.id,
    couponId: coupon.id,
    conversionId: conversion.id,
    postbackId: postback.id,
    postbackDeliveryId: postbackTest.deliveryId,
    heldConversionId: heldConversion.id,
    conversionOrderId: orderId,
    invoiceId,
    payoutRunId: payoutRun.runId,
    payoutId: payout!.id,
    apiKeyId: apiKey.id,
  };
  const b = { merchant: merchantB.organization, publisher: publisherB.organization };
  const actors: Record<ActorName, Actor> = {
    anonymous: { name: "anonymous", sessionToken: null },
    merchantA: { ...merchantA.actor, name: "merchant A" },
    publisherA: { ...publisherA.actor, name: "publisher A" },
    merchantB: { ...merchantB.actor, name: "merchant B" },
    publisherB: { ...publisherB.actor, name: "publisher B" },
    staff: { name: "staff", sessionToken: staffSession.token },
  };
  const aUsers = [merchantA.owner.user, publisherA.owner.user, member.user];

  return {
    actors,
    a,
    b,
    failedJob: await failedJob(db, draftOffer.id),
    /**
     * What side A has that no one on side B may ever see: unlisted offers, the people, the
     * application, and the ids of A's private rows. (A's listed offers and its merchant's name are
     * public in the marketplace, so they are not here.)
     */
    secrets: [
      titles.paused,
      titles.private,
      titles.draft,
      titles.inReview,
      applicationMessage,
      publisherA.organization.name,
      inviteeEmail,
      ...aUsers.map((u) => u.email),
      application.id,
      activePartnership,
      pausedPartnership,
      invitedPartnership,
      memberMembership!.id,
      openInvitation.id,
      privateOffer.id,
      draftOffer.id,
      inReviewOffer.id,
      pausedOffer.id,
      couponCode,
      orderId,
      conversion.id,
      heldOrderId,
      heldConversion.id,
      coupon.id,
      postbackPath,
      postback.id,
      billedOrderId,
      billedConversion.id,
      invoiceId,
      payoutHolder,
      payout!.id,
      paidOut.id,
      apiKeyName,
      apiKey.id,
      apiKey.prefix,
    ],
    /** A row that contains any of these belongs to, or is about, side A. */
    aSideIdentifiers: [
      merchantA.organization.id,
      publisherA.organization.id,
      ...aUsers.map((u) => u.id),
      ...aUsers.map((u) => u.email),
      inviteeEmail,
      ...Object.values(a.offers).map((o) => o.id),
    ],
  };
}

export type TenantWorld = Awaited<ReturnType<typeof buildTenantWorld>>;

/** A background job that used up its retries, for the staff retry action. */
async function failedJob(db: Database, offerId: string) {
  const boss = new PgBoss({ db: drizzleExecutor(db) });
  const id = (await boss.send(offerIndexing.name, { offerId }, { retryLimit: 0 }))!;
  await boss.fetch(offerIndexing.name);
  await boss.fail(offerIndexing.name, id, { message: "engine unavailable" });
  return { queue: offerIndexing.name, id };
}
