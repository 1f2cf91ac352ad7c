import { z } from "zod";
import type { Database } from "#db/client";
import { listPublisherPartnerships } from "../applications/partnerships.server";
import { listMerchantOffers, patchOffer } from "../offers/offers.server";
import type { OfferPatch } from "../offers/schemas";
import type { Tenant } from "../orgs/tenant.server";
import { conversionsFor } from "../tracking/conversion-data.server";
import { reviewConversion, type ReviewDecision } from "../tracking/conversion-review.server";
import { conversionListView } from "../tracking/conversions.server";
import { buildPartnershipLink } from "../tracking/partnership-tracking.server";
import type { LinkBuilderInput } from "../tracking/schemas";
import { cursorOf, dayRange, encodeCursor } from "./cursor";
import type { ListQuery } from "./schemas";

/*
 * The API's resources: the domain's own functions, paged and spelled as the API answers. Lists are
 * in a fixed order (by id, or newest first for conversions) so a cursor walks each row once.
 */

type Links = { appUrl: string; linkUrl: (code: string) => string };

const inRange = (at: Date, range: ReturnType<typeof dayRange>) => (!range.from || at >= range.from) && (!range.until || at < range.until);

/** A page of rows the domain lists whole (an organization's offers or partnerships: tens, not millions), by id. */
function pageById<T extends { id: string }>(rows: T[], query: ListQuery) {
  const after = cursorOf(query, z.object({ id: z.uuid() }));
  const sorted = rows.filter((r) => !after || r.id > after.id).sort((a, b) => (a.id < b.id ? -1 : 1));
  const data = sorted.slice(0, query.limit);
  return { data, next_cursor: sorted.length > query.limit ? encodeCursor({ id: data.at(-1)!.id }) : null };
}

type OfferRow = Awaited<ReturnType<typeof listMerchantOffers>>[number];

const offerOut = (o: OfferRow) => ({
  id: o.id,
  title: o.title,
  description: o.description,
  status: o.status,
  currency: o.currency,
  landing_url: o.landingUrl,
  cookie_days: o.cookieDays,
  validation_days: o.validationDays,
  terms_and_conditions: o.termsAndConditions,
  visibility: o.visibility,
  auto_approve: o.autoApprove,
  reapply_cooldown_days: o.reapplyCooldownDays,
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
});

export async function listApiOffers(db: Database, tenant: Tenant, query: ListQuery & { status?: OfferRow["status"] }) {
  const range = dayRange(query);
  const rows = (await listMerchantOffers(db, tenant)).filter(
    (o) => (!query.status || o.status === query.status) && inRange(o.createdAt, range),
  );
  const { data, next_cursor } = pageById(rows, query);
  return { data: data.map(offerOut), next_cursor };
}

export async function updateApiOffer(db: Database, tenant: Tenant, offerId: string, patch: OfferPatch, links: Links) {
  return offerOut(await patchOffer(db, tenant, offerId, patch, links));
}

type PartnershipRow = Awaited<ReturnType<typeof listPublisherPartnerships>>[number];

export async function listApiPartnerships(
  db: Database,
  tenant: Tenant,
  query: ListQuery & { status?: PartnershipRow["partnership"]["status"] },
) {
  const range = dayRange(query);
  const rows = (await listPublisherPartnerships(db, tenant))
    .filter((r) => (!query.status || r.partnership.status === query.status) && inRange(r.partnership.createdAt, range))
    .map((r) => ({ id: r.partnership.id, row: r }));
  const { data, next_cursor } = pageById(rows, query);
  return {
    data: data.map(({ row: { partnership, offer, merchantName } }) => ({
      id: partnership.id,
      status: partnership.status,
      offer: { id: offer.id, title: offer.title, currency: offer.currency },
      merchant_name: merchantName,
      created_at: partnership.createdAt.toISOString(),
      updated_at: partnership.updatedAt.toISOString(),
    })),
    next_cursor,
  };
}

const conversionPosition = z.object({ at: z.iso.datetime({ precision: 6 }), id: z.uuid() });

/** The tenant's conversions, newest first (keyset on created time and id, as the app's list). */
export async function listApiConversions(
  db: Database,
  tenant: Tenant,
  query: ListQuery & { status?: "pending" | "approved" | "rejected" | "reversed" },
) {
  const after = cursorOf(query, conversionPosition);
  const page = await conversionsFor(db, tenant).list({ status: query.status, ...dayRange(query) }, after, query.limit);
  return {
    data: page.rows.map((row) => {
      const c = conversionListView(row, tenant.organization.kind);
      return {
        id: c.id,
        offer_title: c.offerTitle,
        merchant_name: c.merchantName,
        publisher_name: c.publisherName,
        order_id: c.orderId,
        event: c.event,
        customer_id: c.customerId,
        status: c.status,
        reason: c.reason,
        hold: c.hold,
        is_test: c.isTest,
        currency: c.currency,
        sale_amount_minor: c.saleAmountMinor,
        commission_minor: c.commissionMinor,
        fee_minor: c.feeMinor,
        merchant_cost_minor: c.merchantCostMinor,
        sub_ids: c.subIds,
        created_at: c.createdAt.toISOString(),
      };
    }),
    next_cursor: page.next ? encodeCursor(page.next) : null,
  };
}

export async function decideApiConversion(db: Database, tenant: Tenant, id: string, decision: ReviewDecision) {
  return { id, ...(await reviewConversion(db, tenant, id, decision)) };
}

export async function buildApiLink(db: Database, tenant: Tenant, input: LinkBuilderInput & { partnership_id: string }, links: Links) {
  const built = await buildPartnershipLink(db, tenant, input.partnership_id, input, links);
  return { partnership_id: input.partnership_id, url: built.url };
}
