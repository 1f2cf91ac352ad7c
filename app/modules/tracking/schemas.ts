import { z } from "zod";
import type { conversionStatus } from "#db/schema";
import { list } from "~/lib/form-values";
import { CONVERSION_STATUS_LABELS, REJECTION_REASONS } from "~/lib/labels";
import { readQueryFilters } from "~/lib/query-filters";
import { SUB_MAX_LENGTH } from "./landing-url";

/** How many of its latest postbacks the integration page shows a merchant. */
export const POSTBACK_LOG_SHOWN = 100;

const subId = (n: number) =>
  z
    .string({ error: `Write sub${n} as text` })
    .trim()
    .max(SUB_MAX_LENGTH, `sub${n} is at most ${SUB_MAX_LENGTH} characters`)
    .default("");

/** The link builder: up to five sub ids and a deep link, all optional (blank). */
export const linkBuilderSchema = z.object({
  sub1: subId(1),
  sub2: subId(2),
  sub3: subId(3),
  sub4: subId(4),
  sub5: subId(5),
  url: z
    .string({ error: "Write the deep link as a full https:// address" })
    .trim()
    .max(2048, "A deep link is at most 2,048 characters")
    .default(""),
});
export type LinkBuilderInput = z.output<typeof linkBuilderSchema>;

const COUPON_CODE_RULE = "3 to 40 letters, digits, - or _";

export const assignCouponSchema = z.object({
  partnershipId: z.uuid("Unknown partnership"),
  code: z
    .string({ error: `Enter a code of ${COUPON_CODE_RULE}` })
    .trim()
    .min(3, "A coupon code has at least 3 characters")
    .max(40, "A coupon code has at most 40 characters")
    .regex(/^[A-Za-z0-9_-]+$/, `A coupon code is ${COUPON_CODE_RULE}, without spaces`),
});

export const removeCouponSchema = z.object({ couponId: z.uuid("Unknown coupon") });

/** The merchant's test tool. The amount is text, as a merchant's server sends it; the engine reads it. */
export const testPostbackSchema = z.object({
  partnershipId: z.uuid("Choose a partnership"),
  orderId: z
    .string({ error: "Enter an order id" })
    .trim()
    .min(1, "Enter an order id")
    .max(100, "An order id is at most 100 characters")
    .regex(/^[\x21-\x7e]+$/, "Use letters, digits and punctuation in the order id, without spaces"),
  amount: z
    .string({ error: "Enter the sale amount, like 49.90" })
    .trim()
    .max(20, "Enter the sale amount, like 49.90")
    .regex(/^\d+(\.\d+)?$/, "Enter the sale amount in digits with a dot for decimals, like 49.90"),
  event: z
    .string({ error: "Choose an event" })
    .trim()
    .min(1, "Choose an event")
    .max(32, "Choose an event of the offer")
    .regex(/^[a-z][a-z0-9_]*$/, "Choose an event of the offer"),
});

/**
 * The statuses a filter may name: the database enum's, read from their labels, as this module is
 * also the browser's and the schema is not. The labels name every status (checked here), and the
 * list's filter takes no other (checked where the query reaches it).
 */
const CONVERSION_STATUSES = Object.keys(CONVERSION_STATUS_LABELS satisfies Record<ConversionStatus, string>) as FilterStatus[];
type ConversionStatus = (typeof conversionStatus.enumValues)[number];
type FilterStatus = keyof typeof CONVERSION_STATUS_LABELS;
const day = (label: string) => z.iso.date(`Enter the ${label} date as a date, like 2026-11-21`);
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z),([0-9a-f-]{36})$/;

/** Where a page of a conversion list ends, as its link carries it: the last row's time (microseconds, UTC) and id. */
export const conversionCursor = z
  .string()
  .max(100)
  .regex(CURSOR)
  .transform((text) => {
    const [, at, id] = CURSOR.exec(text)!;
    return { at: at!, id: id! };
  })
  .pipe(z.object({ at: z.iso.datetime({ precision: 6 }), id: z.uuid() }));

/** A page's end as its link carries it: the text `conversionCursor` reads back. */
export const conversionCursorText = (end: { at: string; id: string }) => `${end.at},${end.id}`;

/** Each filter of the conversions list, read alone, so one bad value does not drop the others. */
const conversionFilterFields = {
  offer: z.uuid("Choose an offer from the list"),
  status: z.enum(CONVERSION_STATUSES, { error: "Choose a status from the list" }),
  from: day("start"),
  to: day("end"),
  sub: z.string().trim().max(SUB_MAX_LENGTH, `A sub id is at most ${SUB_MAX_LENGTH} characters`),
  publisher: z.uuid("Choose a publisher from the list"),
  after: conversionCursor,
};

export type ConversionQuery = {
  offer?: string;
  status?: FilterStatus;
  from?: string;
  to?: string;
  sub?: string;
  publisher?: string;
  after?: { at: string; id: string };
};

/**
 * The conversions list's query string: the filters that read, and a sentence for each that does not
 * (shown above the list instead of an error page). A bad page cursor starts again from the newest.
 */
export function readConversionQuery(params: URLSearchParams): { query: ConversionQuery; errors: string[] } {
  const { filter, errors } = readQueryFilters(conversionFilterFields, params, {
    cursor: "after",
    staleCursor: "That page link is out of date: showing the newest conversions.",
  });
  const read: ConversionQuery = filter;
  if (read.from && read.to && read.from > read.to) {
    errors.push("The start date is after the end date.");
    delete read.to;
  }
  return { query: read, errors };
}

/** The note a merchant writes with a rejection, which the publisher reads. */
export const CONVERSION_NOTE_MAX_LENGTH = 500;
/** Conversions one review request may change: ten pages of the list. */
const REVIEW_SELECTION_MAX = 500;

const rejectionReason = z.enum(REJECTION_REASONS, { error: "Choose a reason from the list" });
const conversionNote = z
  .string({ error: "Write the note as text" })
  .trim()
  .max(CONVERSION_NOTE_MAX_LENGTH, `Keep the note to ${CONVERSION_NOTE_MAX_LENGTH} characters`)
  .optional()
  .transform((note) => note || null);

/** Rejecting one conversion: a reason code and an optional note, both for the publisher to read. */
export const rejectConversionSchema = z.object({ reason: rejectionReason, note: conversionNote });

const WHY_GENUINE = "Write why the conversion is genuine: both sides read it";

/** Staff's decision on a held conversion: clear it with why it is genuine, or reject it with a reason. */
export const fraudDecisionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("clear"),
    note: z
      .string({ error: WHY_GENUINE })
      .trim()
      .min(1, WHY_GENUINE)
      .max(CONVERSION_NOTE_MAX_LENGTH, `Keep the note to ${CONVERSION_NOTE_MAX_LENGTH} characters`),
  }),
  z.object({ intent: z.literal("reject"), reason: rejectionReason, note: conversionNote }),
]);

/** Approving or rejecting the conversions ticked in the list; a rejection needs its reason. */
export const reviewSelectionSchema = z
  .object({
    intent: z.enum(["approve", "reject"], { error: "Choose approve or reject" }),
    ids: list(z.uuid("Unknown conversion"), {
      min: 1,
      tooFew: "Tick the conversions to change first",
      max: REVIEW_SELECTION_MAX,
      tooMany: `Change at most ${REVIEW_SELECTION_MAX} conversions at a time`,
    }),
    reason: rejectionReason.optional(),
    note: conversionNote,
  })
  .refine((v) => v.intent === "approve" || v.reason, { path: ["reason"], message: "Choose the reason for the rejection" });
export type ReviewSelection = z.output<typeof reviewSelectionSchema>;

/** A conversion import: 1 MB (decimal), under the server's default request limit with room for the form around it. */
export const CSV_MAX_BYTES = 1_000_000;
export const CSV_MAX_ROWS = 5_000;
/** The import's columns; its first line names them, in any order (event, reason and note may be left out). */
export const CSV_COLUMNS = ["order_id", "event", "status", "reason", "note"] as const;
