import { z } from "zod";
import { conversionStatus, invoiceStatus, offerStatus, partnershipStatus, payoutMethod, payoutStatus } from "#db/schema";
import { REPORT_BREAKDOWNS, REPORT_PRESETS, REPORT_SORTS } from "../reports/report-query";
import { offerPatchSchema } from "../offers/schemas";
import { linkBuilderSchema, rejectConversionSchema } from "../tracking/schemas";

/*
 * The REST API's inputs and answers, as zod schemas: the handlers parse with them and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */

/** The answers' schemas, named: the document's components, described as the API writes them. */
export const apiSchemas = z.registry<{ id: string }>();
/** The request bodies' schemas, named: described as the API reads them (before trimming and defaults). */
export const apiInputs = z.registry<{ id: string }>();

export const API_PAGE_MAX = 100;
const API_PAGE_DEFAULT = 50;
const CURSOR_MAX_LENGTH = 200;

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable, machine-readable: see the list of codes." }),
      message: z.string().meta({ description: "For people; may change." }),
      details: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "With invalid_input: each field that did not pass, and why." }),
    }),
  })
  .register(apiSchemas, { id: "Error" });

const day = (what: string) => z.iso.date(`${what} is a date like 2026-11-21`);

/** Every list's paging and date range; each list adds its status filter. */
const listQuery = z.object({
  limit: z.coerce
    .number({ error: `limit is a whole number from 1 to ${API_PAGE_MAX}` })
    .int(`limit is a whole number from 1 to ${API_PAGE_MAX}`)
    .min(1, `limit is at least 1`)
    .max(API_PAGE_MAX, `limit is at most ${API_PAGE_MAX}`)
    .default(API_PAGE_DEFAULT)
    .meta({ description: `Rows per page, at most ${API_PAGE_MAX}.` }),
  cursor: z
    .string()
    .max(CURSOR_MAX_LENGTH, "cursor is a next_cursor this API returned")
    .optional()
    .meta({ description: "The next_cursor of the previous page; leave out for the first page." }),
  from: day("from").optional().meta({ description: "Created on or after this day (UTC)." }),
  to: day("to").optional().meta({ description: "Created on or before this day (UTC)." }),
});
export type ListQuery = z.output<typeof listQuery>;

export const offerListQuery = listQuery.extend({ status: z.enum(offerStatus.enumValues, { error: "Unknown offer status" }).optional() });
export const conversionListQuery = listQuery.extend({
  status: z.enum(conversionStatus.enumValues, { error: "Unknown conversion status" }).optional(),
});
export const partnershipListQuery = listQuery.extend({
  status: z.enum(partnershipStatus.enumValues, { error: "Unknown partnership status" }).optional(),
});

export const idParams = z.object({ id: z.uuid().meta({ description: "The resource's id." }) });

const timestamp = z.iso.datetime();

const page = <T extends z.ZodType>(row: T, id: string) =>
  z
    .object({
      data: z.array(row),
      next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page." }),
    })
    .register(apiSchemas, { id });

export const offerSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    status: z.enum(offerStatus.enumValues),
    currency: z.string(),
    landing_url: z.string(),
    cookie_days: z.number().int(),
    validation_days: z.number().int(),
    terms_and_conditions: z.string(),
    visibility: z.enum(["public", "approval", "private"]),
    auto_approve: z.boolean(),
    reapply_cooldown_days: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(apiSchemas, { id: "Offer" });
export const offerPage = page(offerSchema, "OfferPage");
export const offerPatch = offerPatchSchema.register(apiInputs, { id: "OfferPatch" });

export const conversionSchema = z
  .object({
    id: z.uuid(),
    offer_title: z.string(),
    merchant_name: z.string(),
    publisher_name: z.string(),
    order_id: z.string(),
    event: z.string(),
    customer_id: z.string().nullable().meta({ description: "The merchant's customer id; null for publishers." }),
    status: z.enum(conversionStatus.enumValues),
    reason: z.string().nullable(),
    hold: z.enum(["none", "held", "cleared"]),
    is_test: z.boolean(),
    currency: z.string(),
    sale_amount_minor: z.number().int().meta({ description: "Minor units of the currency (cents)." }),
    commission_minor: z.number().int(),
    fee_minor: z.number().int(),
    merchant_cost_minor: z.number().int(),
    sub_ids: z.array(z.string().nullable()),
    created_at: timestamp,
  })
  .register(apiSchemas, { id: "Conversion" });
export const conversionPage = page(conversionSchema, "ConversionPage");

export const conversionDecision = z
  .object({
    id: z.uuid(),
    status: z.enum(conversionStatus.enumValues),
    changed: z.boolean().meta({ description: "False when the conversion already had this status: nothing was done twice." }),
  })
  .register(apiSchemas, { id: "ConversionDecision" });
/** A rejection or reversal: a reason code and a note the publisher reads. */
export const conversionReason = rejectConversionSchema.strict().register(apiInputs, { id: "ConversionReason" });

export const partnershipSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(partnershipStatus.enumValues),
    offer: z.object({ id: z.uuid(), title: z.string(), currency: z.string() }),
    merchant_name: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(apiSchemas, { id: "Partnership" });
export const partnershipPage = page(partnershipSchema, "PartnershipPage");

export const linkRequest = linkBuilderSchema
  .extend({ partnership_id: z.uuid("partnership_id is the id of one of your partnerships") })
  .strict()
  .register(apiInputs, { id: "LinkRequest" });
export const linkSchema = z
  .object({ partnership_id: z.uuid(), url: z.string().meta({ description: "The tracking link, with the sub ids and deep link." }) })
  .register(apiSchemas, { id: "Link" });

export const invoiceListQuery = listQuery.extend({
  status: z.enum(invoiceStatus.enumValues, { error: "Unknown invoice status" }).optional(),
});
const invoiceLine = z.object({
  offer_id: z.uuid(),
  offer_name: z.string(),
  approvals: z.number().int(),
  reversals: z.number().int(),
  commission_minor: z.number().int(),
  fee_minor: z.number().int(),
  total_minor: z.number().int(),
});
export const invoiceSchema = z
  .object({
    id: z.uuid(),
    number: z.string().meta({ description: "The invoice's number as printed on it." }),
    status: z.enum(invoiceStatus.enumValues),
    currency: z.string(),
    period_start: timestamp,
    period_end: timestamp,
    commission_minor: z.number().int(),
    fee_minor: z.number().int(),
    total_minor: z.number().int().meta({ description: "Commission plus network fee: what the merchant owes." }),
    paid_minor: z.number().int(),
    open_minor: z.number().int().meta({ description: "What is still to pay; 0 once paid or void." }),
    issued_at: timestamp,
    due_at: timestamp,
    overdue: z.boolean(),
    void_reason: z.string().nullable(),
    lines: z.array(invoiceLine).meta({ description: "Per offer." }),
  })
  .register(apiSchemas, { id: "Invoice" });
export const invoicePage = page(invoiceSchema, "InvoicePage");

export const payoutListQuery = listQuery.extend({
  status: z.enum(payoutStatus.enumValues, { error: "Unknown payout status" }).optional(),
});
export const payoutSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(payoutStatus.enumValues),
    currency: z.string(),
    amount_minor: z.number().int(),
    method: z.enum(payoutMethod.enumValues),
    masked_details: z.string().meta({ description: "Where it is paid, masked." }),
    reference: z.string().nullable(),
    failure_reason: z.string().nullable(),
    created_at: timestamp,
    settled_at: timestamp.nullable(),
  })
  .register(apiSchemas, { id: "Payout" });
export const payoutPage = page(payoutSchema, "PayoutPage");

const allBreakdowns = [...new Set([...REPORT_BREAKDOWNS.merchant, ...REPORT_BREAKDOWNS.publisher])] as [string, ...string[]];
export const reportApiQuery = z.object({
  preset: z.enum(REPORT_PRESETS, { error: `preset is one of ${REPORT_PRESETS.join(", ")}` }).optional(),
  from: day("from").optional().meta({ description: "With preset=custom: the first day, in the time zone." }),
  to: day("to").optional().meta({ description: "With preset=custom: the last day, in the time zone." }),
  tz: z.string().max(64, "tz is an IANA time zone name").optional().meta({ description: "IANA time zone of the days; UTC when left out." }),
  by: z
    .enum(allBreakdowns, { error: `by is one of ${allBreakdowns.join(", ")}` })
    .optional()
    .meta({ description: "Merchants: day, offer, publisher, country. Publishers: day, offer, sub, country." }),
  sort: z.enum(REPORT_SORTS, { error: `sort is one of ${REPORT_SORTS.join(", ")}` }).optional(),
  dir: z.enum(["asc", "desc"], { error: "dir is asc or desc" }).optional(),
});
const reportRow = z.object({
  key: z.string(),
  label: z.string(),
  clicks: z.number().int(),
  unique_clicks: z.number().int(),
  conversions: z.number().int(),
  conversion_rate: z.number().nullable(),
  epc_minor: z.number().int().nullable().meta({ description: "Commission per click." }),
  sale_minor: z.number().int(),
  commission_minor: z.number().int(),
  fee_minor: z.number().int().nullable().meta({ description: "Network fee: merchants only." }),
  merchant_cost_minor: z.number().int().nullable().meta({ description: "Commission plus fee: merchants only." }),
});
export const reportSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    time_zone: z.string(),
    by: z.string(),
    currencies: z.array(z.object({ currency: z.string(), totals: reportRow, rows: reportRow.array() })).meta({
      description: "One table per currency: amounts in different currencies are never added together.",
    }),
  })
  .register(apiSchemas, { id: "Report" });

/** The app's form that names a new key. */
export const createApiKeySchema = z.object({
  name: z.string({ error: "Name the key" }).trim().min(1, "Name the key").max(80, "Use at most 80 characters"),
});
