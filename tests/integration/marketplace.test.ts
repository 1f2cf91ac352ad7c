import { parseWithZod } from "@conform-to/zod/v4";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { offerIndexing } from "#db/jobs/queues";
import { applications, offerChanges, offers, partnerships, type OfferTerm } from "#db/schema";
import { PostgresOfferSearch } from "#search/postgres";
import { emptyFilters, type OfferSearch, type SearchQuery } from "#search/types";
import { indexOffers } from "#search/worker";
import {
  applyToOffer,
  decideApplication,
  listMerchantApplications,
  listPublisherApplications,
} from "~/modules/applications/applications.server";
import {
  acceptPartnershipInvitation,
  changePartnershipStatus,
  invitePublisher,
  listMerchantPartnerships,
  listPublisherPartnerships,
  setCustomTerms,
} from "~/modules/applications/partnerships.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { getMarketplaceOffer } from "~/modules/offers/marketplace.server";
import { changeOfferStatus, createOffer, getMerchantOffer, listMerchantOffers, updateOffer } from "~/modules/offers/offers.server";
import { customTermsSchema } from "~/modules/offers/custom-terms";
import { offerFormSchema } from "~/modules/offers/schemas";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, emailsTo, links } from "#tests/support/factories";
import { clearQueue, makeWaitingJobsDue, runDueJobs } from "#tests/support/jobs";
import { createActiveOffer, offerForm } from "#tests/support/offers";

let handle: DatabaseHandle;
let engine: PostgresOfferSearch;
beforeAll(async () => {
  handle = await createTestDatabase();
  engine = new PostgresOfferSearch(handle.db);
});
afterAll(() => handle.close());
beforeEach(async () => {
  await clearQueue(handle, offerIndexing);
  await engine.clear();
});

const query = (text = "", overrides: Partial<SearchQuery> = {}): SearchQuery => ({
  text,
  filters: emptyFilters(),
  sort: "relevance",
  page: 1,
  perPage: 50,
  ...overrides,
});
const searchIds = async (text = "") => {
  await runDueJobs(handle, offerIndexing, indexOffers(handle.db, engine));
  return (await engine.search(query(text))).hits.map((h) => h.id);
};
const apply = (tenant: Parameters<typeof applyToOffer>[1], offerId: string, answers: string[] = []) =>
  applyToOffer(handle.db, tenant, { offerId, message: "I review gear for 80k readers.", answers, acceptTerms: true }, links);

describe("offer input", () => {
  it("turns typed amounts into minor units and basis points", () => {
    const parsed = offerFormSchema.parse(
      offerForm({
        terms: [
          { event: "sale", type: "hybrid", amount: "2.50", percent: "7.25", tiers: [] },
          { event: "lead", type: "cpa", amount: "5", percent: "", tiers: [] },
        ],
      }),
    );
    expect(parsed.terms).toEqual([
      { event: "sale", type: "hybrid", flatMinor: 250, bps: 725, tiers: [] },
      { event: "lead", type: "cpa", flatMinor: 500, bps: null, tiers: [] },
    ]);
  });

  it("refuses a bad rate, a non-https URL, an unknown currency and a duplicate event with readable messages", () => {
    const bad = offerFormSchema.safeParse(
      offerForm({
        landingUrl: "http://northwind.example",
        currency: "XYZ",
        terms: [
          { event: "sale", type: "cps", amount: "", percent: "150", tiers: [] },
          { event: "sale", type: "cpa", amount: "", percent: "", tiers: [] },
        ],
      }),
    );
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "landingUrl: The landing URL must be a full https:// address",
        "currency: Unknown currency: use an ISO 4217 code like USD",
      ]),
    );
    const rates = offerFormSchema.safeParse(
      offerForm({
        terms: [
          { event: "sale", type: "cps", amount: "", percent: "150", tiers: [{ minConversions: "0", amount: "", percent: "9" }] },
          { event: "sale", type: "cpa", amount: "0.001", percent: "", tiers: [] },
        ],
      }),
    );
    const rateMessages = rates.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(rateMessages).toEqual(
      expect.arrayContaining([
        "terms.0.percent: Enter a percentage between 0 and 100",
        "terms.0.tiers.0.minConversions: Tiers start at increasing whole numbers of conversions (1 or more)",
        "terms.1.event: Each event can have one payout",
        "terms.1.amount: USD amounts have at most 2 decimals",
      ]),
    );
  });

  it("refuses a decimal comma next to its field instead of reading 12,50 as 1,250", () => {
    const formData = new FormData();
    for (const [name, value] of Object.entries(offerForm({ currency: "EUR", terms: undefined }))) {
      if (typeof value === "string") formData.set(name, value);
    }
    formData.set("niches", "outdoors");
    formData.set("terms[0].event", "sale");
    formData.set("terms[0].type", "hybrid");
    formData.set("terms[0].amount", "12,50");
    formData.set("terms[0].percent", "7,5");
    formData.set("terms[0].tiers[0].minConversions", "50");
    formData.set("terms[0].tiers[0].amount", "1,250.00");
    formData.set("terms[0].tiers[0].percent", "9");
    const reply = parseWithZod(formData, { schema: offerFormSchema }).reply();
    expect(reply.error).toEqual({
      "terms[0].amount": ["Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00"],
      "terms[0].percent": ["Use a dot for decimals, like 7.25"],
    });
    formData.set("terms[0].amount", "12.50");
    formData.set("terms[0].percent", "7.5");
    const parsed = parseWithZod(formData, { schema: offerFormSchema });
    expect(parsed.status === "success" && parsed.value.terms).toEqual([
      { event: "sale", type: "hybrid", flatMinor: 1250, bps: 750, tiers: [{ minConversions: 50, flatMinor: 125000, bps: 900 }] },
    ]);
  });

  it("refuses a decimal comma in a partner's custom rate", () => {
    const terms: OfferTerm[] = [
      { event: "sale", type: "hybrid", flatMinor: 500, bps: 800, tiers: [] },
      { event: "lead", type: "cpa", flatMinor: 200, bps: null, tiers: [] },
    ];
    const schema = customTermsSchema(terms, "EUR");
    const partnershipId = crypto.randomUUID();
    const bad = schema.safeParse({ partnershipId, amount: ["0,50", "1,2"], percent: ["8", ""] });
    expect(bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "amount.0: sale: Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00",
      "amount.1: lead: Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00",
    ]);
    expect(schema.parse({ partnershipId, amount: ["0.50", ""], percent: ["8", ""] }).terms).toEqual([
      { event: "sale", type: "hybrid", flatMinor: 50, bps: 800, tiers: [] },
    ]);
  });

  it("names the click id parameter as the merchant sets it, click_id when left blank", async () => {
    expect(offerFormSchema.parse(offerForm()).clickIdParam).toBe("click_id");
    expect(offerFormSchema.parse(offerForm({ clickIdParam: "  " })).clickIdParam).toBe("click_id");
    expect(offerFormSchema.parse(offerForm({ clickIdParam: " aff.sub_id-1 " })).clickIdParam).toBe("aff.sub_id-1");
    const messages = (clickIdParam: string) => offerFormSchema.safeParse(offerForm({ clickIdParam })).error!.issues.map((i) => i.message);
    expect(messages("click id")).toEqual(["Use only letters, digits, _, - and . in the click id parameter"]);
    expect(messages("a&b=c")).toEqual(["Use only letters, digits, _, - and . in the click id parameter"]);
    expect(messages("x".repeat(41))).toEqual(["The click id parameter is at most 40 characters"]);

    const { tenant } = await createOrgWithOwner(handle.db);
    const offer = await createOffer(handle.db, tenant, offerFormSchema.parse(offerForm({ clickIdParam: "aff_click" })));
    expect(offer.clickIdParam).toBe("aff_click");
    const updated = await updateOffer(handle.db, tenant, offer.id, offerFormSchema.parse(offerForm({ clickIdParam: "" })), links);
    expect(updated.clickIdParam).toBe("click_id");
  });

  it("refuses an unknown niche and writes nothing", async () => {
    const { tenant } = await createOrgWithOwner(handle.db);
    const input = offerFormSchema.parse(offerForm({ niches: ["underwater-basket-weaving"] }));
    const before = (await listMerchantOffers(handle.db, tenant)).length;
    await expect(createOffer(handle.db, tenant, input)).rejects.toMatchObject({ code: "unknown_niche" });
    expect(await listMerchantOffers(handle.db, tenant)).toHaveLength(before);
  });
});

describe("offer lifecycle and search", () => {
  it("goes live only after staff approval and leaves search when paused, archived or its merchant is suspended", async () => {
    const { tenant, organization } = await createOrgWithOwner(handle.db);
    const offer = await createActiveOffer(handle.db, tenant, { title: "Packrafts for river trips" });
    expect(await searchIds("packrafts")).toEqual([offer.id]);

    await changeOfferStatus(handle.db, tenant, offer.id, "pause");
    expect(await searchIds("packrafts")).toEqual([]);
    await changeOfferStatus(handle.db, tenant, offer.id, "resume");
    expect(await searchIds("packrafts")).toEqual([offer.id]);

    const staff = await createStaffUser(handle.db, { email: "mod@network.example", password: "moderator pass 1", name: "Mod" });
    await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "suspend", reason: "Chargebacks" }, links);
    expect(await searchIds("packrafts")).toEqual([]);
    await reviewOrganization(handle.db, staff, { organizationId: organization.id, decision: "reactivate" }, links);
    expect(await searchIds("packrafts")).toEqual([offer.id]);

    await changeOfferStatus(handle.db, tenant, offer.id, "archive");
    expect(await searchIds("packrafts")).toEqual([]);
  });

  it("never indexes a private offer", async () => {
    const { tenant } = await createOrgWithOwner(handle.db);
    await createActiveOffer(handle.db, tenant, { title: "Secret kayak deal", visibility: "private" });
    expect(await searchIds("kayak")).toEqual([]);
  });

  it("cannot be submitted by a merchant that is not approved yet", async () => {
    const { tenant } = await createOrgWithOwner(handle.db, "merchant", "pending_review");
    const offer = await createOffer(handle.db, tenant, offerFormSchema.parse(offerForm()));
    await expect(changeOfferStatus(handle.db, tenant, offer.id, "submit")).rejects.toMatchObject({ code: "merchant_not_active" });
  });

  it("retries indexing after an engine failure, and one bad offer fails only its own job", async () => {
    const { tenant } = await createOrgWithOwner(handle.db);
    const offer = await createActiveOffer(handle.db, tenant, { title: "Glacier crampons" });
    const bad = await createActiveOffer(handle.db, tenant, { title: "Avalanche probe" });
    let failing = true;
    const flaky: OfferSearch = Object.assign(Object.create(engine) as OfferSearch, {
      index: async (docs: Parameters<OfferSearch["index"]>[0]) => {
        if (failing || docs.some((d) => d.id === bad.id)) throw new Error("engine unavailable");
        return engine.index(docs);
      },
    });
    await runDueJobs(handle, offerIndexing, indexOffers(handle.db, flaky));
    expect((await engine.search(query("crampons"))).hits).toHaveLength(0);
    failing = false;
    await makeWaitingJobsDue(handle, offerIndexing);
    await runDueJobs(handle, offerIndexing, indexOffers(handle.db, flaky));
    expect((await engine.search(query("crampons"))).hits.map((h) => h.id)).toEqual([offer.id]);
    const rows = await selectRows<{ offerId: string; state: string }>(
      handle.db,
      sql`select data->>'offerId' as "offerId", state::text from pgboss.job where name = ${offerIndexing.name}`,
    );
    const statesOf = (id: string) => [...new Set(rows.filter((r) => r.offerId === id).map((r) => r.state))];
    expect(statesOf(offer.id)).toEqual(["completed"]);
    expect(statesOf(bad.id)).toEqual(["retry"]);
  });

  it("records term changes of a live offer and emails its active partners", async () => {
    const { tenant } = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, tenant, { visibility: "public" });
    await apply(publisher.tenant, offer.id);
    await updateOffer(
      handle.db,
      tenant,
      offer.id,
      offerFormSchema.parse(
        offerForm({ visibility: "public", terms: [{ event: "sale", type: "cps", amount: "", percent: "12", tiers: [] }] }),
      ),
      links,
    );
    const [change] = await handle.db.select().from(offerChanges).where(eq(offerChanges.offerId, offer.id));
    expect(change).toMatchObject({ summary: "Changed: Payout" });
    const mail = (await emailsTo(handle.db, publisher.owner.user.email)).find((m) => m.template === "offer_terms_changed");
    expect(mail?.text).toContain("sale: 12%");
    const seen = await getMarketplaceOffer(handle.db, publisher.tenant, offer.id);
    expect(seen.changes.map((c) => c.summary)).toEqual(["Changed: Payout"]);
  });
});

describe("applications and partnerships", () => {
  it("joins a public offer at once", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { visibility: "public" });
    expect((await apply(publisher.tenant, offer.id)).status).toBe("approved");
    const [p] = await listPublisherPartnerships(handle.db, publisher.tenant);
    expect(p).toMatchObject({ partnership: { status: "active" }, offer: { id: offer.id } });
  });

  it("needs the merchant's approval, answers to its questions and one open application at a time", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { questions: "Where will you promote us?" });
    await expect(apply(publisher.tenant, offer.id)).rejects.toMatchObject({ code: "answers_required" });
    await expect(
      applyToOffer(handle.db, publisher.tenant, { offerId: offer.id, message: "", answers: ["Blog"], acceptTerms: false }, links),
    ).rejects.toMatchObject({ code: "terms_required" });
    const results = await Promise.allSettled([
      apply(publisher.tenant, offer.id, ["My blog"]),
      apply(publisher.tenant, offer.id, ["My blog"]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await handle.db.select().from(applications).where(eq(applications.offerId, offer.id))).toHaveLength(1);

    const [inbox] = await listMerchantApplications(handle.db, merchant.tenant, "pending");
    expect(inbox).toMatchObject({
      publisher: { id: publisher.organization.id },
      application: { answers: [{ question: "Where will you promote us?", answer: "My blog" }] },
    });
    expect((await emailsTo(handle.db, merchant.owner.user.email)).map((m) => m.subject)).toContain(
      `${publisher.organization.name} applied to ${offer.title}`,
    );

    await decideApplication(handle.db, merchant.tenant, { applicationId: inbox!.application.id, decision: "approve" }, links);
    const [partner] = await listMerchantPartnerships(handle.db, merchant.tenant);
    expect(partner?.partnership.status).toBe("active");
    await expect(
      decideApplication(handle.db, merchant.tenant, { applicationId: inbox!.application.id, decision: "reject", reason: "x" }, links),
    ).rejects.toMatchObject({ code: "already_decided" });
  });

  it("shows the rejection reason and enforces the re-apply cooldown", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { reapplyCooldownDays: "7" });
    const application = await apply(publisher.tenant, offer.id);
    await expect(
      decideApplication(handle.db, merchant.tenant, { applicationId: application.id, decision: "reject" }, links),
    ).rejects.toMatchObject({ code: "reason_required" });
    await decideApplication(
      handle.db,
      merchant.tenant,
      { applicationId: application.id, decision: "reject", reason: "Coupon sites are not a fit." },
      links,
    );
    const [mine] = await listPublisherApplications(handle.db, publisher.tenant);
    expect(mine?.application).toMatchObject({ status: "rejected", decisionReason: "Coupon sites are not a fit." });
    await expect(apply(publisher.tenant, offer.id)).rejects.toMatchObject({ code: "cooldown" });
    await handle.db
      .update(applications)
      .set({ decidedAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(applications.id, application.id));
    expect((await apply(publisher.tenant, offer.id)).status).toBe("pending");
  });

  it("auto-approves when the merchant turns it on", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { autoApprove: "on" });
    expect((await apply(publisher.tenant, offer.id)).status).toBe("approved");
  });

  it("lets a publisher into a private offer only by invitation", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { visibility: "private" });
    await expect(apply(publisher.tenant, offer.id)).rejects.toMatchObject({ status: 404 });
    await expect(getMarketplaceOffer(handle.db, publisher.tenant, offer.id)).rejects.toMatchObject({ status: 404 });
    await invitePublisher(handle.db, merchant.tenant, { offerId: offer.id, publisherSlug: publisher.organization.slug }, links);
    const [invited] = await listPublisherPartnerships(handle.db, publisher.tenant);
    expect(invited?.partnership.status).toBe("invited");
    expect((await getMarketplaceOffer(handle.db, publisher.tenant, offer.id)).offer.id).toBe(offer.id);
    await acceptPartnershipInvitation(handle.db, publisher.tenant, invited!.partnership.id, links);
    const [active] = await listPublisherPartnerships(handle.db, publisher.tenant);
    expect(active?.partnership.status).toBe("active");
  });

  it("pauses, ends and sets a custom rate on a partnership, telling the publisher", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { visibility: "public" });
    await apply(publisher.tenant, offer.id);
    const [row] = await listMerchantPartnerships(handle.db, merchant.tenant);
    const id = row!.partnership.id;
    await setCustomTerms(
      handle.db,
      merchant.tenant,
      { partnershipId: id, terms: [{ event: "sale", type: "cps", flatMinor: null, bps: 1500, tiers: [] }] },
      links,
    );
    await expect(
      setCustomTerms(
        handle.db,
        merchant.tenant,
        { partnershipId: id, terms: [{ event: "lead", type: "cpa", flatMinor: 100, bps: null, tiers: [] }] },
        links,
      ),
    ).rejects.toMatchObject({ code: "unknown_event" });
    await changePartnershipStatus(handle.db, merchant.tenant, { partnershipId: id, action: "pause" }, links);
    await expect(changePartnershipStatus(handle.db, merchant.tenant, { partnershipId: id, action: "pause" }, links)).rejects.toMatchObject({
      status: 409,
    });
    await changePartnershipStatus(handle.db, merchant.tenant, { partnershipId: id, action: "end" }, links);
    const [p] = await handle.db.select().from(partnerships).where(eq(partnerships.id, id));
    expect(p).toMatchObject({ status: "ended", customTerms: [{ event: "sale", bps: 1500 }] });
    const subjects = (await emailsTo(handle.db, publisher.owner.user.email)).map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `New rate for you on ${offer.title}`,
        `Your partnership with ${offer.title} is paused`,
        `Your partnership with ${offer.title} is ended`,
      ]),
    );
  });
});

describe("tenant isolation", () => {
  it("merchant B can neither read nor change merchant A's offers, applications or partnerships", async () => {
    const a = await createOrgWithOwner(handle.db);
    const b = await createOrgWithOwner(handle.db);
    const publisher = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, a.tenant);
    const application = await apply(publisher.tenant, offer.id);

    await expect(getMerchantOffer(handle.db, b.tenant, offer.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      updateOffer(handle.db, b.tenant, offer.id, offerFormSchema.parse(offerForm({ title: "Hijacked" })), links),
    ).rejects.toMatchObject({ status: 404 });
    await expect(changeOfferStatus(handle.db, b.tenant, offer.id, "pause")).rejects.toMatchObject({ status: 404 });
    await expect(
      decideApplication(handle.db, b.tenant, { applicationId: application.id, decision: "approve" }, links),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      invitePublisher(handle.db, b.tenant, { offerId: offer.id, publisherSlug: publisher.organization.slug }, links),
    ).rejects.toMatchObject({ status: 404 });
    expect(await listMerchantOffers(handle.db, b.tenant)).toHaveLength(0);
    expect(await listMerchantApplications(handle.db, b.tenant, "pending")).toHaveLength(0);

    await decideApplication(handle.db, a.tenant, { applicationId: application.id, decision: "approve" }, links);
    const [partnership] = await listMerchantPartnerships(handle.db, a.tenant);
    await expect(
      changePartnershipStatus(handle.db, b.tenant, { partnershipId: partnership!.partnership.id, action: "end" }, links),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      setCustomTerms(handle.db, b.tenant, { partnershipId: partnership!.partnership.id, terms: null }, links),
    ).rejects.toMatchObject({ status: 404 });
    expect(await listMerchantPartnerships(handle.db, b.tenant)).toHaveLength(0);

    const [unchanged] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(unchanged).toMatchObject({ title: "Ultralight tents for thru-hikers", status: "active" });
  });

  it("a publisher sees only its own applications and partnerships", async () => {
    const merchant = await createOrgWithOwner(handle.db);
    const p1 = await createOrgWithOwner(handle.db, "publisher");
    const p2 = await createOrgWithOwner(handle.db, "publisher");
    const offer = await createActiveOffer(handle.db, merchant.tenant, { visibility: "public" });
    await apply(p1.tenant, offer.id);
    expect(await listPublisherApplications(handle.db, p2.tenant)).toHaveLength(0);
    expect(await listPublisherPartnerships(handle.db, p2.tenant)).toHaveLength(0);
    const [p1Partnership] = await listPublisherPartnerships(handle.db, p1.tenant);
    await expect(acceptPartnershipInvitation(handle.db, p2.tenant, p1Partnership!.partnership.id, links)).rejects.toMatchObject({
      status: 404,
    });
  });
});
