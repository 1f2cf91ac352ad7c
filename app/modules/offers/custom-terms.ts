import { z } from "zod";
import type { OfferTerm } from "#db/schema";
import { rateText } from "~/lib/form-values";
import { parseAmount, parsePercent, type Parsed } from "~/lib/money";

/** A rate this payout type does not use (null), or one above zero. */
const isComplete = (rate: Parsed | null) => rate === null || (rate.value ?? 0) > 0;

/** One optional custom rate per event of the offer: blank keeps the offer's rate for that event. */
export function customTermsSchema(offerTerms: OfferTerm[], currency: string) {
  return z
    .object({
      partnershipId: z.uuid("Unknown partnership"),
      amount: z.array(rateText("amount"), { error: "Enter one amount per event" }).max(10, "Enter one amount per event").default([]),
      percent: z
        .array(rateText("percentage"), { error: "Enter one percentage per event" })
        .max(10, "Enter one percentage per event")
        .default([]),
    })
    .transform((form, ctx) => {
      const terms: OfferTerm[] = [];
      offerTerms.forEach((term, i) => {
        const amountText = form.amount[i]?.trim() ?? "";
        const percentText = form.percent[i]?.trim() ?? "";
        if (!amountText && !percentText) return;
        const flatMinor = term.type === "cps" ? null : parseAmount(amountText, currency);
        const bps = term.type === "cpa" ? null : parsePercent(percentText);
        const unreadable = [
          { path: ["amount", i], error: amountText ? flatMinor?.error : null },
          { path: ["percent", i], error: percentText ? bps?.error : null },
        ].filter((field) => field.error);
        for (const field of unreadable) ctx.addIssue({ code: "custom", path: field.path, message: `${term.event}: ${field.error}` });
        if (unreadable.length) return;
        if (!isComplete(flatMinor) || !isComplete(bps)) {
          ctx.addIssue({
            code: "custom",
            path: ["percent"],
            message: `Enter a full ${term.type.toUpperCase()} rate for ${term.event}, like the offer's`,
          });
          return;
        }
        terms.push({ event: term.event, type: term.type, flatMinor: flatMinor?.value ?? null, bps: bps?.value ?? null, tiers: [] });
      });
      return { partnershipId: form.partnershipId, terms: terms.length ? terms : null };
    });
}
