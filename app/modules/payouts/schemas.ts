import { z } from "zod";
import { isCurrency } from "~/lib/money";

export const PAYOUT_METHODS = ["bank_transfer", "paypal", "other"] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/** Payouts a page of the publisher's history shows. */
export const PAYOUT_PAGE_SIZE = 50;
/** Currencies one publisher may set a threshold for at once: far more than any publisher earns in. */
export const MAX_THRESHOLD_CURRENCIES = 20;

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} is at most ${max} characters`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} is at most ${max} characters`)
    .optional()
    .transform((v) => v || undefined);

/** IBAN: country, check digits, up to 30 letters or digits; spaces as people write them are dropped. */
const iban = z
  .string()
  .transform((v) => v.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, "Enter an IBAN like DE89 3704 0044 0532 0130 00"));
const swift = z
  .string()
  .transform((v) => v.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, "Enter a SWIFT/BIC code of 8 or 11 letters and digits"));
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Thresholds as typed, in major units per currency; blank means the network minimum. */
const thresholds = z
  .record(z.string().max(3), z.string().max(30, "Enter an amount like 100.00").optional())
  .optional()
  .transform((v) => v ?? {})
  .refine((v) => Object.keys(v).length <= MAX_THRESHOLD_CURRENCIES, "Too many currencies")
  .refine((v) => Object.keys(v).every(isCurrency), "Unknown currency");

const bank = z.object({
  method: z.literal("bank_transfer"),
  accountHolder: text("account holder's name", 140),
  iban: z.preprocess(blankToUndefined, iban.optional()),
  accountNumber: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z -]{4,34}$/, "Enter an account number of 4 to 34 letters or digits")
      .optional(),
  ),
  routingNumber: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z -]{4,20}$/, "Enter a routing or sort code of 4 to 20 letters or digits")
      .optional(),
  ),
  swift: z.preprocess(blankToUndefined, swift.optional()),
  bankName: optionalText("bank's name", 140),
});
const paypal = z.object({
  method: z.literal("paypal"),
  paypalEmail: z
    .string({ error: "Enter your PayPal email address" })
    .trim()
    .max(254, "An email address is at most 254 characters")
    .pipe(z.email("Enter your PayPal email address, like name@example.com")),
});
const other = z.object({ method: z.literal("other"), instructions: text("payment instructions", 1000) });

/** A bank account is an IBAN, or an account number with its routing code. */
export const payoutSettingsSchema = z
  .discriminatedUnion("method", [bank.extend({ thresholds }), paypal.extend({ thresholds }), other.extend({ thresholds })], {
    error: "Choose how you want to be paid",
  })
  .superRefine((v, ctx) => {
    if (v.method !== "bank_transfer" || v.iban) return;
    if (!v.accountNumber) {
      ctx.addIssue({ code: "custom", path: ["iban"], message: "Enter an IBAN, or an account number with its routing code" });
    } else if (!v.routingNumber) {
      ctx.addIssue({ code: "custom", path: ["routingNumber"], message: "Enter the routing or sort code of the account" });
    }
  });
export type PayoutSettingsInput = z.output<typeof payoutSettingsSchema>;

export const markPaidSchema = z.object({
  payoutId: z.uuid("Unknown payout"),
  reference: text("payment reference", 200),
});
export const markFailedSchema = z.object({
  payoutId: z.uuid("Unknown payout"),
  reason: text("reason", 500),
});

/** The publisher's payout list filters: status, created from/until (days), and the page cursor. */
export const payoutListFilters = {
  status: z.enum(["pending", "paid", "failed"], "Unknown status: choose one from the list"),
  from: z.iso.date("Enter the from date as YYYY-MM-DD"),
  until: z.iso.date("Enter the until date as YYYY-MM-DD"),
  cursor: z
    .string()
    .max(80)
    .regex(/^[0-9T:.Z-]+_[0-9a-f-]{36}$/, "stale"),
};
