import type { PayoutDetails } from "#db/schema";
import type { PayoutMethod } from "./schemas";

/** The details a method keeps, as db/schema/payouts.ts stores them. */
export type { PayoutDetails };

/** "•••• 1234": enough to recognise an account, never enough to use it. */
export function maskTail(value: string, shown = 4): string {
  const compact = value.replace(/\s+/g, "");
  return `•••• ${compact.slice(-Math.min(shown, Math.max(compact.length - 2, 1)))}`;
}

/** "j•••@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? maskTail(email) : `${email[0]}•••${email.slice(at)}`;
}

/**
 * What a page shows of stored details: the holder and bank by name, every number and address masked,
 * free-text instructions not at all. The full details leave the server only in the
 * staff's batch export.
 */
export function maskedDetails(method: PayoutMethod, d: PayoutDetails): string {
  switch (method) {
    case "bank_transfer": {
      const account = d.iban ? `IBAN ${maskTail(d.iban)}` : `Account ${maskTail(d.accountNumber ?? "")}`;
      return [d.accountHolder, account, d.bankName].filter(Boolean).join(" · ");
    }
    case "paypal":
      return `PayPal ${maskEmail(d.paypalEmail ?? "")}`;
    case "other":
      return "Other method: instructions on file";
  }
}
