import type { z } from "zod";
import type { Database } from "#db/client";
import type { ApiKeyTenant } from "./keys.server";
import {
  buildApiLink,
  decideApiConversion,
  listApiConversions,
  listApiOffers,
  listApiPartnerships,
  updateApiOffer,
} from "./resources.server";
import { listApiInvoices, listApiPayouts, readApiReport } from "./money-resources.server";
import {
  conversionDecision,
  conversionListQuery,
  conversionPage,
  conversionReason,
  idParams,
  invoiceListQuery,
  invoicePage,
  linkRequest,
  linkSchema,
  offerListQuery,
  offerPage,
  offerPatch,
  offerSchema,
  partnershipListQuery,
  partnershipPage,
  payoutListQuery,
  payoutPage,
  reportApiQuery,
  reportSchema,
} from "./schemas";

/** What a handler gets: the tenant the key acts for (never from input), and how links are spelled. */
export type ApiContext = { db: Database; tenant: ApiKeyTenant; links: { appUrl: string; linkUrl: (code: string) => string } };

type Side = "merchant" | "publisher";
type NoInput = z.ZodObject<Record<string, never>>;

/** One endpoint: where it is, who may call it, what it reads and answers, and the one domain call it makes. */
export type ApiOperation = {
  method: "GET" | "POST" | "PATCH";
  /** Below /api/v1, with {name} for path parameters. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** The organization kinds whose keys may call it; another kind is refused with wrong_organization_kind. */
  sides: Side[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  status: 200 | 201;
  run: (ctx: ApiContext, input: { params: never; query: never; body: never }) => Promise<unknown>;
};

/** Types the handler against its schemas: it gets what they parse to and must answer what the response schema describes. */
function operation<
  R extends z.ZodType,
  P extends z.ZodObject = NoInput,
  Q extends z.ZodObject = NoInput,
  B extends z.ZodType = NoInput,
>(op: {
  method: ApiOperation["method"];
  path: string;
  operationId: string;
  summary: string;
  description: string;
  sides: Side[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  run: (ctx: ApiContext, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => Promise<z.input<R>>;
}): ApiOperation {
  return { ...op, status: op.status ?? 200, run: op.run as ApiOperation["run"] };
}

const reviewNote =
  "Only a pending conversion can be approved or rejected, and only an approved one not yet paid to the publisher reversed; another is refused with code refused (409). Repeating a decision already made changes nothing (changed: false).";

/**
 * Every endpoint of /api/v1. The OpenAPI document, the reference page and the dispatcher all read
 * this list: an endpoint is one entry here and one domain call.
 */
export const apiOperations: ApiOperation[] = [
  operation({
    method: "GET",
    path: "/offers",
    operationId: "listOffers",
    summary: "List offers",
    description: "The merchant's offers, in a fixed order, a page at a time.",
    sides: ["merchant"],
    query: offerListQuery,
    response: offerPage,
    run: ({ db, tenant }, { query }) => listApiOffers(db, tenant, query),
  }),
  operation({
    method: "PATCH",
    path: "/offers/{id}",
    operationId: "updateOffer",
    summary: "Update an offer",
    description:
      "Changes the fields given and keeps the rest, with the offer form's rules. Partners of a live offer are told of changed terms, as when the change is made in the app.",
    sides: ["merchant"],
    params: idParams,
    body: offerPatch,
    response: offerSchema,
    run: ({ db, tenant, links }, { params, body }) => updateApiOffer(db, tenant, params.id, body, links),
  }),
  operation({
    method: "GET",
    path: "/conversions",
    operationId: "listConversions",
    summary: "List conversions",
    description: "The organization's conversions (a merchant's it pays for, a publisher's it earns), newest first.",
    sides: ["merchant", "publisher"],
    query: conversionListQuery,
    response: conversionPage,
    run: ({ db, tenant }, { query }) => listApiConversions(db, tenant, query),
  }),
  operation({
    method: "POST",
    path: "/conversions/{id}/approve",
    operationId: "approveConversion",
    summary: "Approve a conversion",
    description: reviewNote,
    sides: ["merchant"],
    params: idParams,
    response: conversionDecision,
    run: ({ db, tenant }, { params }) => decideApiConversion(db, tenant, params.id, { decision: "approve" }),
  }),
  operation({
    method: "POST",
    path: "/conversions/{id}/reject",
    operationId: "rejectConversion",
    summary: "Reject a conversion",
    description: `With a reason code and an optional note, both shown to the publisher. ${reviewNote}`,
    sides: ["merchant"],
    params: idParams,
    body: conversionReason,
    response: conversionDecision,
    run: ({ db, tenant }, { params, body }) => decideApiConversion(db, tenant, params.id, { decision: "reject", ...body }),
  }),
  operation({
    method: "POST",
    path: "/conversions/{id}/reverse",
    operationId: "reverseConversion",
    summary: "Reverse a conversion",
    description: `A return or chargeback after approval: the commission is taken back. ${reviewNote}`,
    sides: ["merchant"],
    params: idParams,
    body: conversionReason,
    response: conversionDecision,
    run: ({ db, tenant }, { params, body }) => decideApiConversion(db, tenant, params.id, { decision: "reverse", ...body }),
  }),
  operation({
    method: "GET",
    path: "/partnerships",
    operationId: "listPartnerships",
    summary: "List partnerships",
    description: "The publisher's partnerships with merchants' offers, in a fixed order, a page at a time.",
    sides: ["publisher"],
    query: partnershipListQuery,
    response: partnershipPage,
    run: ({ db, tenant }, { query }) => listApiPartnerships(db, tenant, query),
  }),
  operation({
    method: "POST",
    path: "/links",
    operationId: "buildLink",
    summary: "Build a tracking link",
    description:
      "The partnership's tracking link with up to five sub ids and a deep link, by the app's link builder rules: the deep link must be https on one of the offer's domains. Nothing is stored.",
    sides: ["publisher"],
    body: linkRequest,
    response: linkSchema,
    run: ({ db, tenant, links }, { body }) => buildApiLink(db, tenant, body, links),
  }),
  operation({
    method: "GET",
    path: "/reports",
    operationId: "readReport",
    summary: "Read a report",
    description:
      "Clicks, unique clicks, conversions, conversion rate, EPC, sale amount and commission (merchants also network fee and merchant cost) for a range of days in a time zone, broken down by day, offer, publisher (merchants), sub id (publishers) or country, one table per currency. Conversions count while pending or approved. The same figures as the Reports page; at most 400 days.",
    sides: ["merchant", "publisher"],
    query: reportApiQuery,
    response: reportSchema,
    run: ({ db, tenant }, { query }) => readApiReport(db, tenant, query),
  }),
  operation({
    method: "GET",
    path: "/invoices",
    operationId: "listInvoices",
    summary: "List invoices",
    description:
      "The merchant's invoices, newest first, with their lines per offer, what is paid and what is open. Dates filter by issue day (UTC).",
    sides: ["merchant"],
    query: invoiceListQuery,
    response: invoicePage,
    run: ({ db, tenant }, { query }) => listApiInvoices(db, tenant, query),
  }),
  operation({
    method: "GET",
    path: "/payouts",
    operationId: "listPayouts",
    summary: "List payouts",
    description: "The publisher's payouts, newest first, with where each is paid (masked). Dates filter by creation day (UTC).",
    sides: ["publisher"],
    query: payoutListQuery,
    response: payoutPage,
    run: ({ db, tenant }, { query }) => listApiPayouts(db, tenant, query),
  }),
];
