import { z } from "zod";
import { parseCurrencyAmounts } from "~/lib/money";

export const INVOICE_REFERENCE_MAX_LENGTH = 200;
export const INVOICE_VOID_REASON_MAX_LENGTH = 500;
export const INVOICE_STATUSES = ["issued", "paid", "void"] as const;

/** A payment as staff record it: the amount as typed (read in the invoice's currency), the day it arrived, the bank's reference. */
export const paymentFormSchema = z.object({
  intent: z.literal("payment"),
  amount: z.string({ error: "Enter the amount received" }).trim().max(40, "Enter an amount like 1,250.00"),
  receivedOn: z.iso.date({ error: "Enter the day the money arrived" }),
  reference: z
    .string({ error: "Enter the payment's reference" })
    .trim()
    .max(INVOICE_REFERENCE_MAX_LENGTH, `A reference is at most ${INVOICE_REFERENCE_MAX_LENGTH} characters`),
});

export const voidFormSchema = z.object({
  intent: z.literal("void"),
  reason: z
    .string({ error: "Say why the invoice is void" })
    .trim()
    .max(INVOICE_VOID_REASON_MAX_LENGTH, `A reason is at most ${INVOICE_VOID_REASON_MAX_LENGTH} characters`),
});

export const issueFormSchema = z.object({ intent: z.literal("issue"), merchantId: z.uuid({ error: "Choose a merchant" }) });

/** The billing settings form: due days, per-currency payout minimums as lines like "USD 50.00", the paid-invoice rule. */
export const billingSettingsFormSchema = z
  .object({
    invoiceDueDays: z.coerce
      .number({ error: "Enter the days from issue to due" })
      .int("Enter a whole number of days")
      .min(0, "Enter 0 or more days")
      .max(365, "Enter at most 365 days"),
    payoutMinimums: z.string().max(5000, "List fewer minimums").optional(),
    payoutsRequirePaidInvoice: z.literal("on").optional(),
  })
  .transform((form, ctx) => {
    const { amounts, errors } = parseCurrencyAmounts(form.payoutMinimums ?? "");
    for (const message of errors) ctx.addIssue({ code: "custom", path: ["payoutMinimums"], message });
    return {
      invoiceDueDays: form.invoiceDueDays,
      payoutMinimums: amounts,
      payoutsRequirePaidInvoice: form.payoutsRequirePaidInvoice === "on",
    };
  });

/** The invoice lists' query string: status, overdue, merchant (staff), the cursor. */
export const invoiceQueryFields = {
  status: z.enum(INVOICE_STATUSES, { error: "Choose a status from the list" }),
  overdue: z.literal("1", { error: "Overdue is on or off" }),
  merchant: z.uuid({ error: "Choose a merchant from the list" }),
  from: z.iso.date({ error: "Enter the first day as a date, like 2026-01-31" }),
  to: z.iso.date({ error: "Enter the last day as a date, like 2026-01-31" }),
  after: z.coerce.number({ error: "" }).int().positive(),
};
