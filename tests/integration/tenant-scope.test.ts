import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { coupons, invitations, memberships, offers, partnerships, postbackLog } from "#db/schema";
import { applicationsFor } from "~/modules/applications/application-data.server";
import { applyToOffer, setAutoApprove } from "~/modules/applications/applications.server";
import { partnershipsFor } from "~/modules/applications/partnership-data.server";
import { acceptPartnershipInvitation, invitePublisher } from "~/modules/applications/partnerships.server";
import { offersFor } from "~/modules/offers/offer-data.server";
import { invitationsFor } from "~/modules/orgs/invitation-data.server";
import { membershipsFor } from "~/modules/orgs/membership-data.server";
import { inviteMember } from "~/modules/orgs/team.server";
import { clickCountsFor } from "~/modules/tracking/click-daily-data.server";
import { conversionsFor } from "~/modules/tracking/conversion-data.server";
import { couponsFor } from "~/modules/tracking/coupon-data.server";
import { postbackCredentialsFor } from "~/modules/tracking/postback-credential-data.server";
import { postbackLogFor } from "~/modules/tracking/postback-log-data.server";
import { trackingLinksFor } from "~/modules/tracking/tracking-link-data.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, createUser, findPartnership, links } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { daysAgo, insertClickDay, insertConversion } from "#tests/support/tracking-rows";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const notFound = { code: "not_found", status: 404 };

/** Two merchants and two publishers; A's offer has an application and a partnership of publisher 1. */
async function twoOfEach() {
  const db = handle.db;
  const [a, b, p1, p2] = await Promise.all([
    createOrgWithOwner(db),
    createOrgWithOwner(db),
    createOrgWithOwner(db, "publisher"),
    createOrgWithOwner(db, "publisher"),
  ]);
  const offer = await createActiveOffer(db, a.tenant, { visibility: "public" });
  const application = await applyToOffer(db, p1.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
  const partnership = await findPartnership(db, offer.id, p1.organization.id);
  return { a, b, p1, p2, offer, application, partnership };
}

describe("the tenant-bound data access", () => {
  it("gives another merchant's offer the same 404 as a missing one, from every method", async () => {
    const { b, offer } = await twoOfEach();
    const own = offersFor(handle.db, b.tenant);
    await expect(own.get(offer.id)).rejects.toMatchObject(notFound);
    await expect(handle.db.transaction((tx) => offersFor(tx, b.tenant).lockForUpdate(offer.id))).rejects.toMatchObject(notFound);
    await expect(own.update(offer.id, { title: "Hijacked" })).rejects.toMatchObject(notFound);
    await expect(own.setNiches(offer.id, [])).rejects.toMatchObject(notFound);
    await expect(own.recordChange(offer.id, { summary: "Hijacked", before: {}, after: {} })).rejects.toMatchObject(notFound);
    expect(await own.niches(offer.id)).toEqual([]);
    expect(await own.changes(offer.id)).toEqual([]);
    expect(await own.list()).toEqual([]);
    const [unchanged] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(unchanged!.title).toBe("Ultralight tents for thru-hikers");
  });

  it("refuses an organization of the other kind when it is bound", async () => {
    const { p1 } = await twoOfEach();
    expect(() => offersFor(handle.db, p1.tenant)).toThrow(expect.objectContaining(notFound));
  });

  it("gives another tenant's application the same 404, on either side", async () => {
    const { a, b, p1, p2, offer, application } = await twoOfEach();
    for (const tenant of [b.tenant, p2.tenant]) {
      const own = applicationsFor(handle.db, tenant);
      await expect(handle.db.transaction((tx) => applicationsFor(tx, tenant).lockForUpdate(application.id))).rejects.toMatchObject(
        notFound,
      );
      await expect(own.decide(application.id, { status: "rejected" })).rejects.toMatchObject(notFound);
      expect(await own.latest(offer.id, p1.organization.id)).toBeNull();
      expect(await own.list()).toEqual([]);
    }
    await expect(applicationsFor(handle.db, a.tenant).insert({ offerId: offer.id, termsAcceptedAt: new Date() })).rejects.toMatchObject(
      notFound,
    );
    expect((await applicationsFor(handle.db, a.tenant).list()).map((r) => r.application.id)).toEqual([application.id]);
    expect((await applicationsFor(handle.db, p1.tenant).list()).map((r) => r.application.id)).toEqual([application.id]);
  });

  it("gives another tenant's partnership the same 404, on either side", async () => {
    const { a, b, p1, p2, offer, partnership } = await twoOfEach();
    for (const tenant of [b.tenant, p2.tenant]) {
      const own = partnershipsFor(handle.db, tenant);
      await expect(own.get(partnership.id)).rejects.toMatchObject(notFound);
      await expect(handle.db.transaction((tx) => partnershipsFor(tx, tenant).lockForUpdate(partnership.id))).rejects.toMatchObject(
        notFound,
      );
      await expect(own.update(partnership.id, { status: "ended" })).rejects.toMatchObject(notFound);
      expect(await own.find(offer.id, p1.organization.id)).toBeNull();
      expect(await own.list()).toEqual([]);
    }
    await expect(
      partnershipsFor(handle.db, b.tenant).open({ offerId: offer.id, publisherId: p2.organization.id, status: "invited" }),
    ).rejects.toMatchObject(notFound);
    await expect(
      partnershipsFor(handle.db, p2.tenant).open({ offerId: offer.id, publisherId: p1.organization.id, status: "active" }),
    ).rejects.toMatchObject(notFound);
    expect((await partnershipsFor(handle.db, a.tenant).get(partnership.id)).partnership.status).toBe("active");
    expect((await partnershipsFor(handle.db, p1.tenant).get(partnership.id)).partnership.status).toBe("active");
  });

  it("gives another organization's membership and invitation the same 404", async () => {
    const { a, b } = await twoOfEach();
    const invited = await inviteMember(handle.db, a.tenant, { email: (await createUser(handle.db)).user.email, role: "member" }, links);
    const [ownerMembership] = await handle.db.select().from(memberships).where(eq(memberships.organizationId, a.organization.id));
    const members = membershipsFor(handle.db, b.tenant);
    await expect(handle.db.transaction((tx) => membershipsFor(tx, b.tenant).lockForUpdate(ownerMembership!.id))).rejects.toMatchObject(
      notFound,
    );
    await expect(members.setRole(ownerMembership!.id, "member")).rejects.toMatchObject(notFound);
    await expect(members.remove(ownerMembership!.id)).rejects.toMatchObject(notFound);
    expect(await members.findByEmail(a.owner.user.email)).toBeNull();
    expect(await members.count()).toBe(1);
    await expect(invitationsFor(handle.db, b.tenant).revoke(invited.id)).rejects.toMatchObject(notFound);
    expect(await invitationsFor(handle.db, b.tenant).listOpen()).toEqual([]);
    const [stillOpen] = await handle.db.select().from(invitations).where(eq(invitations.id, invited.id));
    expect(stillOpen!.revokedAt).toBeNull();
    expect((await membershipsFor(handle.db, a.tenant).lockForUpdate(ownerMembership!.id)).role).toBe("owner");
  });
});

describe("domain functions keep to the tenant", () => {
  it("lets no publisher accept another publisher's invitation", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const [invitee, other] = await Promise.all([createOrgWithOwner(handle.db, "publisher"), createOrgWithOwner(handle.db, "publisher")]);
    const offer = await createActiveOffer(handle.db, merchant.tenant, { visibility: "private" });
    await invitePublisher(handle.db, merchant.tenant, { offerId: offer.id, publisherSlug: invitee.organization.slug }, links);
    const invitation = await findPartnership(handle.db, offer.id, invitee.organization.id);

    await expect(acceptPartnershipInvitation(handle.db, other.tenant, invitation.id, links)).rejects.toMatchObject(notFound);
    const [untouched] = await handle.db.select().from(partnerships).where(eq(partnerships.id, invitation.id));
    expect(untouched!.status).toBe("invited");

    await acceptPartnershipInvitation(handle.db, invitee.tenant, invitation.id, links);
    const [accepted] = await handle.db.select().from(partnerships).where(eq(partnerships.id, invitation.id));
    expect(accepted!.status).toBe("active");
  });

  it("lets no merchant turn on auto-approve for another merchant's offer", async () => {
    const [a, b] = await Promise.all([createOrgWithOwner(handle.db), createOrgWithOwner(handle.db)]);
    const offer = await createActiveOffer(handle.db, a.tenant);

    await expect(setAutoApprove(handle.db, b.tenant, offer.id, true)).rejects.toMatchObject(notFound);
    const [untouched] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(untouched!.autoApprove).toBe(false);

    await setAutoApprove(handle.db, a.tenant, offer.id, true);
    const [changed] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(changed!.autoApprove).toBe(true);
  });

  it("gives another tenant's tracking link, coupons, clicks, conversions and postback data nothing but 404s and empty lists", async () => {
    const { a, b, p1, p2, partnership } = await twoOfEach();
    const db = handle.db;
    const conversion = await insertConversion(db, partnership.id);
    await insertClickDay(db, partnership.id, daysAgo(0), { clicks: 5, uniqueClicks: 4, botClicks: 1 });
    const coupon = await couponsFor(db, a.tenant).insert({ partnershipId: partnership.id, code: "SCOPE1" });
    await db.insert(postbackLog).values({
      merchantId: a.organization.id,
      receivedAt: new Date(),
      method: "GET",
      parameters: {},
      authentication: "token",
      httpStatus: 200,
      outcome: "created",
      message: "Recorded",
    });
    for (const tenant of [b.tenant, p2.tenant]) {
      await expect(trackingLinksFor(db, tenant).forPartnership(partnership.id)).rejects.toMatchObject(notFound);
      const own = conversionsFor(db, tenant);
      await expect(own.get(conversion.id)).rejects.toMatchObject(notFound);
      expect((await own.list({}, null)).rows).toEqual([]);
      expect(await own.totals({ since: new Date(0) })).toEqual([]);
      expect(await clickCountsFor(db, tenant).totals({ since: daysAgo(1) })).toEqual({ clicks: 0, uniqueClicks: 0, botClicks: 0 });
      expect(await couponsFor(db, tenant).list()).toEqual([]);
      await expect(couponsFor(db, tenant).insert({ partnershipId: partnership.id, code: "STOLEN" })).rejects.toMatchObject(notFound);
      await expect(couponsFor(db, tenant).remove(coupon!.id)).rejects.toMatchObject(notFound);
    }
    expect(await postbackLogFor(db, b.tenant).latest()).toEqual([]);
    expect(await postbackCredentialsFor(db, b.tenant).status()).toEqual({ tokenHint: null, tokenRotatedAt: null, secretRotatedAt: null });
    expect(() => postbackLogFor(db, p1.tenant)).toThrow(expect.objectContaining(notFound));
    expect(() => postbackCredentialsFor(db, p1.tenant)).toThrow(expect.objectContaining(notFound));
    // A publisher reads its own partnership's coupons but cannot add or remove any.
    await expect(couponsFor(db, p1.tenant).insert({ partnershipId: partnership.id, code: "SELFMADE" })).rejects.toMatchObject(notFound);
    await expect(couponsFor(db, p1.tenant).remove(coupon!.id)).rejects.toMatchObject(notFound);
    expect((await couponsFor(db, p1.tenant).list()).map((c) => c.id)).toEqual([coupon!.id]);
    expect(await db.select().from(coupons).where(eq(coupons.merchantId, a.organization.id))).toHaveLength(1);
    for (const tenant of [a.tenant, p1.tenant]) {
      expect((await conversionsFor(db, tenant).get(conversion.id)).conversion.id).toBe(conversion.id);
      expect((await trackingLinksFor(db, tenant).forPartnership(partnership.id)).code).toHaveLength(16);
      expect((await clickCountsFor(db, tenant).totals({ since: daysAgo(1) })).clicks).toBe(5);
    }
  });
});
