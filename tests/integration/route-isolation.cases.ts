import { uniqueEmail } from "#tests/support/factories";
import { formFields } from "#tests/support/form-fields";
import { offerForm } from "#tests/support/offers";
import type { FormFields } from "#tests/support/route-harness";
import type { ActorName, TenantWorld } from "#tests/support/tenant-world";

/**
 * One request that names side A's rows. `as` is who the app must accept it from (checked in a
 * rolled-back transaction, so the fixture really is in a state the route accepts); `also` may
 * legitimately be answered too; everyone else is refused and nothing changes.
 */
export type Probe = {
  params?: Record<string, string>;
  /** The query string, for a loader that reads ids from it (a list's filters). */
  search?: Record<string, string>;
  form?: FormFields;
  as: ActorName | null;
  also?: ActorName[];
  /** A refusal other than the default 404 for a signed-in actor, with the reason in a comment. */
  refusedWith?: Partial<Record<ActorName, number>>;
  /** Side A's secrets the request itself unlocks for whoever sends it (a link's token). */
  reveals?: string[];
  /** False when the accepted request rightly changes nothing (the positive control then only checks the status). */
  changes?: boolean;
};

export type RouteCase = {
  /** Loader requests naming A's rows; routes with params need them. Param-less loaders are also checked generically. */
  loader?: (w: TenantWorld) => Probe[];
  /** Action requests naming A's rows, one per intent the action accepts. */
  action?: (w: TenantWorld) => Probe[];
  /**
   * Forms for an action that only touches the caller's own rows (or is public), so it has nothing of
   * A's to name: side B and anonymous may send them, and no row of side A may change. Each form also
   * carries A's ids under every id field name the app uses, which a correct action ignores.
   */
  ownAction?: (w: TenantWorld) => FormFields[];
};

const SIGNED_IN: ActorName[] = ["merchantA", "publisherA", "merchantB", "publisherB", "staff"];

/** A's ids under every id field name the app's forms use. */
export function hostileIds(w: TenantWorld): FormFields {
  return {
    id: w.a.openInvitation.id,
    organizationId: w.a.merchant.id,
    merchantId: w.a.merchant.id,
    publisherId: w.a.publisher.id,
    offerId: w.a.offers.draft.id,
    applicationId: w.a.applicationId,
    partnershipId: w.a.partnerships.active,
    membershipId: w.a.memberMembershipId,
    couponId: w.a.couponId,
    postbackId: w.a.postbackId,
    payoutId: w.a.payoutId,
  };
}

/** A path no route serves, naming A's offer: the same not-found page for everyone. */
function unservedPath(w: TenantWorld): Probe {
  return {
    params: { "*": `app/offers/${w.a.offers.draft.id}/edit` },
    as: null,
    refusedWith: Object.fromEntries(["anonymous", ...SIGNED_IN].map((actor) => [actor, 404])),
  };
}

export const routeCases: Record<string, RouteCase> = {
  "routes/$": {
    loader: (w): Probe[] => [unservedPath(w)],
    action: (w): Probe[] => [{ ...unservedPath(w), form: { intent: "save", ...hostileIds(w) } }],
  },
  "routes/app.applications": {
    action: (w): Probe[] => [
      { form: { intent: "auto-approve", offerId: w.a.offers.approval.id, autoApprove: "true" }, as: "merchantA" },
      { form: { intent: "decide", applicationId: w.a.applicationId, decision: "approve" }, as: "merchantA" },
      { form: { intent: "decide", applicationId: w.a.applicationId, decision: "reject", reason: "Not a fit" }, as: "merchantA" },
    ],
  },
  "routes/app.partners": {
    action: (w): Probe[] => [
      { form: { intent: "custom-rate", partnershipId: w.a.partnerships.active, "percent[0]": "12" }, as: "merchantA" },
      { form: { intent: "status", partnershipId: w.a.partnerships.active, action: "pause" }, as: "merchantA" },
      { form: { intent: "status", partnershipId: w.a.partnerships.paused, action: "resume" }, as: "merchantA" },
      { form: { intent: "status", partnershipId: w.a.partnerships.invited, action: "end" }, as: "merchantA" },
      { form: { intent: "coupon-add", partnershipId: w.a.partnerships.active, code: "ISOLATION1" }, as: "merchantA" },
      { form: { intent: "coupon-remove", couponId: w.a.couponId }, as: "merchantA" },
    ],
  },
  "routes/app.partnerships.$id": {
    loader: (w): Probe[] => Object.values(w.a.partnerships).map((id) => ({ params: { id }, as: "publisherA" })),
    // The link builder answers a URL and stores nothing.
    action: (w): Probe[] => [
      {
        params: { id: w.a.partnerships.active },
        form: { sub1: "newsletter", url: "https://northwind.example/tents" },
        as: "publisherA",
        changes: false,
      },
    ],
  },
  "routes/app.conversions._index": {
    // The filters name A's offer and publisher (and a page cursor at A's conversion): side A's own
    // list answers, and B's is its own, empty list, with none of A's rows.
    loader: (w): Probe[] => {
      const filters = { offer: w.a.offers.public.id, publisher: w.a.publisher.id };
      const list = { as: "merchantA", also: ["publisherA"], refusedWith: { merchantB: 200, publisherB: 200 } } satisfies Probe;
      return [
        { ...list, search: filters },
        { ...list, search: { ...filters, after: `2999-01-01T00:00:00.000000Z,${w.a.conversionId}` } },
      ];
    },
    // A selection naming A's conversion: B's merchant is answered (200) that it is not one of its own, and nothing changes.
    action: (w): Probe[] => [
      { form: { intent: "approve", ids: w.a.conversionId }, as: "merchantA", refusedWith: { merchantB: 200 } },
      {
        form: { intent: "reject", ids: w.a.conversionId, reason: "duplicate", note: "Ordered twice" },
        as: "merchantA",
        refusedWith: { merchantB: 200 },
      },
    ],
  },
  "routes/app.conversions.$id": {
    // Both sides of a conversion see it, with the same amounts.
    loader: (w): Probe[] => [{ params: { id: w.a.conversionId }, as: "publisherA", also: ["merchantA"] }],
    // Only the merchant decides.
    action: (w): Probe[] => [
      { params: { id: w.a.conversionId }, form: { intent: "approve" }, as: "merchantA" },
      { params: { id: w.a.conversionId }, form: { intent: "reject", reason: "fraud", note: "Card reported stolen" }, as: "merchantA" },
    ],
  },
  "routes/app.conversions.import": {
    // A file naming A's order: B's merchant is answered (200) that no conversion of its own has it, and nothing changes.
    action: (w): Probe[] => [
      {
        form: { intent: "apply", csv: `order_id,event,status,reason,note\r\n${w.a.conversionOrderId},sale,rejected,duplicate,Twice\r\n` },
        as: "merchantA",
        refusedWith: { merchantB: 200 },
      },
    ],
  },
  "routes/app.integration": {
    action: (w): Probe[] => [
      {
        form: { intent: "test", partnershipId: w.a.partnerships.active, orderId: "test-isolation", amount: "49.90", event: "sale" },
        as: "merchantA",
      },
    ],
    // Credentials are the caller's own: B making its own touches nothing of A's.
    ownAction: (): FormFields[] => [{ intent: "rotate-token" }, { intent: "rotate-secret" }],
  },
  "routes/app.postbacks": {
    // The page names one of A's deliveries to show its attempts.
    loader: (w): Probe[] => [{ search: { delivery: String(w.a.postbackDeliveryId) }, as: "publisherA" }],
    action: (w): Probe[] => [
      {
        form: { intent: "save", offerId: w.a.offers.public.id, urlTemplate: "https://publisher-a.invalid/changed?o={order_id}" },
        as: "publisherA",
      },
      { form: { intent: "remove", postbackId: w.a.postbackId }, as: "publisherA" },
      { form: { intent: "test", postbackId: w.a.postbackId }, as: "publisherA" },
    ],
    // A template for all of the caller's own offers touches nothing of A's.
    ownAction: (): FormFields[] => [{ intent: "save", offerId: "", urlTemplate: "https://own.invalid/pb?c={click_id}" }],
  },
  "routes/app.api-keys": {
    action: (w): Probe[] => [{ form: { intent: "revoke", id: w.a.apiKeyId }, as: "merchantA" }],
    // A key is the caller's own: B making one touches nothing of A's.
    ownAction: (): FormFields[] => [{ intent: "create", name: "Side B's key" }],
  },
  "routes/app.payouts.$id": { loader: (w): Probe[] => [{ params: { id: w.a.payoutId }, as: "publisherA" }] },
  // Settings are the caller's own: B saving its own touches nothing of A's.
  "routes/app.payouts.settings": {
    ownAction: (): FormFields[] => [{ method: "paypal", paypalEmail: "own-payouts@example.com" }],
  },
  "routes/app.partnerships._index": {
    action: (w): Probe[] => [{ form: { intent: "status", partnershipId: w.a.partnerships.invited }, as: "publisherA" }],
  },
  "routes/app.team": {
    action: (w): Probe[] => [
      { form: { intent: "change-role", membershipId: w.a.memberMembershipId, role: "admin" }, as: "merchantA" },
      { form: { intent: "remove", id: w.a.memberMembershipId }, as: "merchantA" },
      { form: { intent: "revoke", id: w.a.openInvitation.id }, as: "merchantA" },
    ],
    ownAction: (): FormFields[] => [{ intent: "invite", email: uniqueEmail("b-invitee"), role: "member" }],
  },
  "routes/app.switch": {
    // Switching to the organization the session already acts for changes nothing, rightly. The
    // action needs a user, not a tenant, so staff get the same 404 as everyone else.
    action: (w): Probe[] => [
      { form: { organizationId: w.a.merchant.id }, as: "merchantA", changes: false, refusedWith: { staff: 404 } },
      { form: { organizationId: w.a.publisher.id }, as: "publisherA", changes: false, refusedWith: { staff: 404 } },
    ],
  },
  "routes/app.offers.$id": {
    loader: (w): Probe[] => Object.values(w.a.offers).map((offer) => ({ params: { id: offer.id }, as: "merchantA" })),
    action: (w): Probe[] => {
      const on = (offer: { id: string }, form: FormFields): Probe => ({ params: { id: offer.id }, form, as: "merchantA" });
      return [
        on(w.a.offers.draft, { intent: "save", ...formFields(offerForm({ title: "Renamed by a stranger" })) }),
        on(w.a.offers.draft, { intent: "submit" }),
        on(w.a.offers.approval, { intent: "pause" }),
        on(w.a.offers.paused, { intent: "resume" }),
        on(w.a.offers.approval, { intent: "archive" }),
        on(w.a.offers.private, { intent: "invite", publisherSlug: w.b.publisher.slug }),
      ];
    },
  },
  "routes/app.marketplace.$id": {
    loader: (w): Probe[] => [
      { params: { id: w.a.offers.approval.id }, as: "publisherA", also: ["publisherB"] },
      { params: { id: w.a.offers.public.id }, as: "publisherA", also: ["publisherB"] },
      // Unlisted offers: only a publisher with a partnership (invited or paused) may see them.
      { params: { id: w.a.offers.private.id }, as: "publisherA" },
      { params: { id: w.a.offers.paused.id }, as: "publisherA" },
      { params: { id: w.a.offers.draft.id }, as: null },
      { params: { id: w.a.offers.inReview.id }, as: null },
    ],
    action: (w): Probe[] => {
      const apply = { message: "Let me in", acceptTerms: "on" };
      return [
        // Publisher A already has an application waiting on this offer: 409, not a 404, and no change.
        { params: { id: w.a.offers.approval.id }, form: apply, as: "publisherB", refusedWith: { publisherA: 409 } },
        { params: { id: w.a.offers.private.id }, form: apply, as: null },
        { params: { id: w.a.offers.paused.id }, form: apply, as: null },
        { params: { id: w.a.offers.draft.id }, form: apply, as: null },
        { params: { id: w.a.offers.inReview.id }, form: apply, as: null },
      ];
    },
  },
  "routes/invitations.$token": {
    // The token is the capability: whoever holds the link may read the invitation, and learns the invited address.
    loader: (w): Probe[] => [
      { params: { token: w.a.openInvitation.token }, as: null, also: ["anonymous", ...SIGNED_IN], reveals: [w.a.openInvitation.email] },
    ],
    // Only the invited address may accept; anyone else is told which address to log in with (200), and nothing changes.
    action: (w): Probe[] => [
      {
        params: { token: w.a.openInvitation.token },
        form: {},
        as: null,
        refusedWith: Object.fromEntries(SIGNED_IN.map((actor) => [actor, 200])),
        reveals: [w.a.openInvitation.email],
      },
    ],
  },
  "routes/app.offers.new": { ownAction: (): FormFields[] => [formFields(offerForm({ title: "Side B's own offer" }))] },
  "routes/app.profile": {
    ownAction: (): FormFields[] => [
      { intent: "request-review" },
      {
        intent: "profile",
        website: "https://b.example",
        description: "We promote outdoor gear to hikers.",
        "websites[0]": "https://b.example",
      },
    ],
  },
  "routes/app.account": {
    ownAction: (): FormFields[] => [
      { intent: "name", name: "Renamed Person" },
      {
        currentPassword: "correct horse battery staple",
        newPassword: "another long passphrase",
        confirmPassword: "another long passphrase",
      },
    ],
  },
  "routes/onboarding": { ownAction: (): FormFields[] => [{ kind: "merchant", name: "Side B second org" }] },
  "routes/logout": { ownAction: (): FormFields[] => [{}] },
  "routes/verify-email": { ownAction: (): FormFields[] => [{}] },
  // A's address with a wrong password: the per-account limit counts it (rate_limits is excluded from A's rows for this).
  "routes/login": { ownAction: (w): FormFields[] => [{ email: w.a.merchantOwnerEmail, password: "not the password" }] },
  "routes/signup": {
    ownAction: (): FormFields[] => [{ name: "New Person", email: uniqueEmail("newcomer"), password: "a long enough passphrase" }],
  },
  // A reset for an address of A would rightly email A; a stranger's address shows the action touches nothing else.
  "routes/forgot-password": { ownAction: (): FormFields[] => [{ email: uniqueEmail("stranger") }] },
  "routes/reset-password": { ownAction: (): FormFields[] => [{ token: "not-a-token", password: "a long enough passphrase" }] },
  "routes/staff.fees": {
    action: (w): Probe[] => [
      { form: { intent: "remove", merchantId: w.a.merchant.id }, as: "staff" },
      { form: { intent: "merchant", merchant: w.a.merchant.slug, percent: "20" }, as: "staff" },
      { form: { intent: "default", percent: "25" }, as: "staff" },
    ],
  },
  "routes/staff.fraud.$id": {
    loader: (w): Probe[] => [
      { params: { id: w.a.heldConversionId }, as: "staff" },
      { params: { id: w.a.conversionId }, as: "staff" },
    ],
    action: (w): Probe[] => [
      { params: { id: w.a.heldConversionId }, form: { intent: "clear", note: "Checked with the merchant" }, as: "staff" },
      { params: { id: w.a.conversionId }, form: { intent: "reject", reason: "fraud", note: "Own traffic" }, as: "staff" },
    ],
  },
  "routes/staff.fraud.settings": {
    action: (): Probe[] => [
      {
        form: { minClickSeconds: "5", maxClicksPerIpHour: "30", selfTrafficDays: "14", burstConversions: "8", burstMinutes: "30" },
        as: "staff",
      },
    ],
  },
  "routes/staff.payouts._index": { action: (): Probe[] => [{ form: {}, as: "staff" }] },
  "routes/staff.payouts.$id": {
    loader: (w): Probe[] => [{ params: { id: w.a.payoutRunId }, as: "staff" }],
    action: (w): Probe[] => [
      { params: { id: w.a.payoutRunId }, form: { intent: "paid", payoutId: w.a.payoutId, reference: "BATCH-1" }, as: "staff" },
      { params: { id: w.a.payoutRunId }, form: { intent: "failed", payoutId: w.a.payoutId, reason: "Account closed" }, as: "staff" },
    ],
  },
  "routes/staff.payouts.$id_.csv": { loader: (w): Probe[] => [{ params: { id: w.a.payoutRunId }, as: "staff" }] },
  "routes/staff.jobs": {
    action: (w): Probe[] => [{ form: { queue: w.failedJob.queue, id: w.failedJob.id }, as: "staff" }],
  },
  "routes/staff.niches": {
    action: (): Probe[] => [
      { form: { intent: "add", slug: "kites", name: "Kites" }, as: "staff" },
      { form: { intent: "rename", slug: "outdoors", name: "The outdoors" }, as: "staff" },
      { form: { intent: "remove", slug: "fitness" }, as: "staff" },
    ],
  },
  "routes/staff.offers.$id": {
    loader: (w): Probe[] => [{ params: { id: w.a.offers.inReview.id }, as: "staff" }],
    action: (w): Probe[] => [
      { params: { id: w.a.offers.inReview.id }, form: { decision: "approve" }, as: "staff" },
      { params: { id: w.a.offers.inReview.id }, form: { decision: "send_back", reason: "Add a landing page" }, as: "staff" },
    ],
  },
  "routes/staff.organizations.$id": {
    loader: (w): Probe[] => [
      { params: { id: w.a.merchant.id }, as: "staff" },
      { params: { id: w.a.publisher.id }, as: "staff" },
    ],
    action: (w): Probe[] => [{ params: { id: w.a.merchant.id }, form: { decision: "suspend", reason: "Chargebacks" }, as: "staff" }],
  },
  "routes/app.invoices.$id": { loader: (w): Probe[] => [{ params: { id: w.a.invoiceId }, as: "merchantA" }] },
  "routes/app.invoices.$id.pdf": { loader: (w): Probe[] => [{ params: { id: w.a.invoiceId }, as: "merchantA" }] },
  "routes/app.invoices.$id.csv": { loader: (w): Probe[] => [{ params: { id: w.a.invoiceId }, as: "merchantA" }] },
  "routes/staff.invoices._index": {
    loader: (w): Probe[] => [{ search: { merchant: w.a.merchant.id }, as: "staff" }],
    // Everything of A's is billed already: issuing again rightly finds nothing.
    action: (w): Probe[] => [{ form: { intent: "issue", merchantId: w.a.merchant.id }, as: "staff", changes: false }],
  },
  "routes/staff.invoices.$id": {
    loader: (w): Probe[] => [{ params: { id: w.a.invoiceId }, as: "staff" }],
    action: (w): Probe[] => [
      {
        params: { id: w.a.invoiceId },
        form: { intent: "payment", amount: "1.00", receivedOn: "2026-11-01", reference: "WIRE-1" },
        as: "staff",
      },
      { params: { id: w.a.invoiceId }, form: { intent: "void", reason: "Issued by mistake" }, as: "staff" },
    ],
  },
  "routes/staff.billing": {
    action: (): Probe[] => [
      { form: { invoiceDueDays: "14", payoutMinimums: "USD 25.00", payoutsRequirePaidInvoice: "on" }, as: "staff", changes: false },
    ],
  },
  "routes/staff.mailbox.$id": { loader: (w) => [{ params: { id: String(w.a.emailId) }, as: "staff" }] },
  "routes/staff.mailbox.$id.html": { loader: (w) => [{ params: { id: String(w.a.emailId) }, as: "staff" }] },
};
