import { eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { coupons, feePolicies, offers, organizations, partnerships, postbackCredentials, trackingLinks } from "#db/schema";
import type { OfferCaps, OfferTerm } from "#db/schema";
import { compileLandingUrl, type LandingTemplate } from "./landing-url";

export type CachedOffer = {
  id: string;
  merchantId: string;
  status: (typeof offers.$inferSelect)["status"];
  currency: string;
  terms: OfferTerm[];
  cookieDays: number;
  validationDays: number;
  caps: OfferCaps;
  countryMode: (typeof offers.$inferSelect)["countryMode"];
  countries: ReadonlySet<string>;
  deepLinkDomains: string[];
  clickIdParam: string;
  landing: LandingTemplate;
};

export type CachedLink = {
  id: number;
  code: string;
  partnershipId: string;
  partnershipStatus: (typeof partnerships.$inferSelect)["status"];
  customTerms: OfferTerm[] | null;
  offerId: string;
  publisherId: string;
};

type CachedOrganization = { status: (typeof organizations.$inferSelect)["status"] };
type FeePolicy = { bps: number; minimums: Record<string, number> };

/**
 * Everything the click and postback paths need, in memory: links by code and by id, offers, the
 * status of every organization, coupons, postback credentials and fee policies. Loaded whole at
 * start; afterwards `invalidate` reloads only what a change notification names.
 */
export function createLinkCache(db: Database) {
  const linksByCode = new Map<string, CachedLink>();
  const linksById = new Map<number, CachedLink>();
  const linksByPartnership = new Map<string, CachedLink>();
  const offersById = new Map<string, CachedOffer>();
  const organizationsById = new Map<string, CachedOrganization>();
  const couponsByKey = new Map<string, string>();
  const merchantByTokenHash = new Map<string, string>();
  const signingSecrets = new Map<string, string>();
  const feesByMerchant = new Map<string, FeePolicy>();
  let networkFee: FeePolicy = { bps: 0, minimums: {} };

  function putLink(link: CachedLink) {
    const previous = linksByPartnership.get(link.partnershipId);
    if (previous) removeLink(previous);
    linksByCode.set(link.code, link);
    linksById.set(link.id, link);
    linksByPartnership.set(link.partnershipId, link);
  }
  function removeLink(link: CachedLink) {
    linksByCode.delete(link.code);
    linksById.delete(link.id);
    linksByPartnership.delete(link.partnershipId);
  }

  async function loadLinks(where?: SQL) {
    const rows = await db
      .select({
        id: trackingLinks.id,
        code: trackingLinks.code,
        partnershipId: partnerships.id,
        partnershipStatus: partnerships.status,
        customTerms: partnerships.customTerms,
        offerId: partnerships.offerId,
        publisherId: partnerships.publisherId,
      })
      .from(trackingLinks)
      .innerJoin(partnerships, eq(partnerships.id, trackingLinks.partnershipId))
      .where(where);
    for (const row of rows) putLink(row);
    return rows;
  }

  async function loadOffers(where?: SQL) {
    const rows = await db.select().from(offers).where(where);
    for (const offer of rows) {
      offersById.set(offer.id, {
        id: offer.id,
        merchantId: offer.merchantId,
        status: offer.status,
        currency: offer.currency,
        terms: offer.terms,
        cookieDays: offer.cookieDays,
        validationDays: offer.validationDays,
        caps: offer.caps,
        countryMode: offer.countryMode,
        countries: new Set(offer.countries),
        deepLinkDomains: offer.deepLinkDomains,
        clickIdParam: offer.clickIdParam,
        landing: compileLandingUrl(offer.landingUrl, offer.clickIdParam),
      });
    }
    return rows;
  }

  async function loadOrganizations(where?: SQL) {
    const rows = await db.select({ id: organizations.id, status: organizations.status }).from(organizations).where(where);
    for (const row of rows) organizationsById.set(row.id, { status: row.status });
    return rows;
  }

  // Each reload queries first and swaps after, with no await between the removal and the refill, so a
  // merchant's coupons or credentials are never missing while a change is applied; a full reload
  // (no ids) replaces them all, so a missed notification cannot keep a revoked token working.
  async function loadCoupons(merchantIds?: string[]) {
    const rows = await db
      .select({ merchantId: coupons.merchantId, code: coupons.code, partnershipId: coupons.partnershipId })
      .from(coupons)
      .where(merchantIds ? inArray(coupons.merchantId, merchantIds) : undefined);
    const reloaded = merchantIds && new Set(merchantIds);
    for (const key of couponsByKey.keys()) if (!reloaded || reloaded.has(key.slice(0, key.indexOf(":")))) couponsByKey.delete(key);
    for (const row of rows) couponsByKey.set(couponKey(row.merchantId, row.code), row.partnershipId);
  }

  async function loadCredentials(merchantIds?: string[]) {
    const rows = await db
      .select()
      .from(postbackCredentials)
      .where(merchantIds ? inArray(postbackCredentials.merchantId, merchantIds) : undefined);
    const reloaded = merchantIds && new Set(merchantIds);
    for (const [hash, merchantId] of merchantByTokenHash) if (!reloaded || reloaded.has(merchantId)) merchantByTokenHash.delete(hash);
    for (const merchantId of signingSecrets.keys()) if (!reloaded || reloaded.has(merchantId)) signingSecrets.delete(merchantId);
    for (const row of rows) {
      if (row.tokenHash) merchantByTokenHash.set(row.tokenHash, row.merchantId);
      if (row.signingSecret) signingSecrets.set(row.merchantId, row.signingSecret);
    }
  }

  async function loadFees() {
    const rows = await db.select().from(feePolicies);
    feesByMerchant.clear();
    for (const row of rows) {
      const policy = { bps: row.bps, minimums: row.minimums };
      if (row.merchantId) feesByMerchant.set(row.merchantId, policy);
      else networkFee = policy;
    }
  }

  /** Reloads the rows asked for and forgets those the database no longer has. */
  async function reload(asked: string[], load: (ids: string[]) => Promise<string[]>, forget: (id: string) => void) {
    if (!asked.length) return;
    const present = new Set(await load(asked));
    for (const id of asked) if (!present.has(id)) forget(id);
  }

  return {
    /** Everything, dropping what the database no longer has (a delete whose notification was missed). */
    async loadAll() {
      const [organizationRows, offerRows, linkRows] = await Promise.all([
        loadOrganizations(),
        loadOffers(),
        loadLinks(),
        loadCoupons(),
        loadCredentials(),
        loadFees(),
      ]);
      const present = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
      const organizationIds = present(organizationRows);
      for (const id of organizationsById.keys()) if (!organizationIds.has(id)) organizationsById.delete(id);
      const offerIds = present(offerRows);
      for (const id of offersById.keys()) if (!offerIds.has(id)) offersById.delete(id);
      const partnershipIds = new Set(linkRows.map((r) => r.partnershipId));
      for (const link of linksByPartnership.values()) if (!partnershipIds.has(link.partnershipId)) removeLink(link);
    },

    /** Reloads what changed, by table and row id (a notification's `table:id`). */
    async invalidate(changes: ReadonlyMap<string, Set<string>>) {
      const ids = (table: string) => [...(changes.get(table) ?? [])].filter(Boolean);
      await Promise.all([
        reload(
          ids("offers"),
          async (asked) => (await loadOffers(inArray(offers.id, asked))).map((r) => r.id),
          (id) => offersById.delete(id),
        ),
        reload(
          [...ids("partnerships"), ...ids("tracking_links")],
          async (asked) => (await loadLinks(inArray(partnerships.id, asked))).map((r) => r.partnershipId),
          (id) => {
            const link = linksByPartnership.get(id);
            if (link) removeLink(link);
          },
        ),
        reload(
          ids("organizations"),
          async (asked) => (await loadOrganizations(inArray(organizations.id, asked))).map((r) => r.id),
          (id) => organizationsById.delete(id),
        ),
        changes.has("coupons") ? loadCoupons(ids("coupons")) : null,
        changes.has("postback_credentials") ? loadCredentials(ids("postback_credentials")) : null,
        changes.has("fee_policies") ? loadFees() : null,
      ]);
    },

    linkByCode: (code: string) => linksByCode.get(code),
    linkById: (id: number) => linksById.get(id),
    linkByPartnership: (partnershipId: string) => linksByPartnership.get(partnershipId),
    offer: (id: string) => offersById.get(id),
    organizationStatus: (id: string) => organizationsById.get(id)?.status,
    couponPartnership: (merchantId: string, code: string) => couponsByKey.get(couponKey(merchantId, code)),
    merchantForTokenHash: (tokenHash: string) => merchantByTokenHash.get(tokenHash),
    signingSecret: (merchantId: string) => signingSecrets.get(merchantId),
    /** The merchant's override, else the network default, and the minimum in this currency. */
    feeFor(merchantId: string, currency: string) {
      const override = feesByMerchant.get(merchantId);
      const policy = override ?? networkFee;
      return {
        source: override ? ("merchant" as const) : ("network" as const),
        bps: policy.bps,
        minimumMinor: policy.minimums[currency] ?? 0,
      };
    },
  };
}

export type LinkCache = ReturnType<typeof createLinkCache>;

const couponKey = (merchantId: string, code: string) => `${merchantId}:${code.toLowerCase()}`;
