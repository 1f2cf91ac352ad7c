import { z } from "zod";
import type { OfferTerm } from "#db/schema";
import { parseAmount, parsePercent } from "./money";

/** One optional custom rate per event of the offer: blank keeps the offer's rate for that event. */
export function customTermsSchema(offerTerms: OfferTerm[], currency: string) {
  return z
    .object({
      partnershipId: z.uuid("Unknown partnership"),
      amount: z.array(z.string().max(30, "Use at most 30 characters").optional()).default([]),
      percent: z.array(z.string().max(30, "Use at most 30 characters").optional()).default([]),
    })
    .transform((form, ctx) => {
      const terms: OfferTerm[] = [];
      offerTerms.forEach((term, i) => {
        const amountText = form.amount[i]?.trim() ?? "";
        const percentText = form.percent[i]?.trim() ?? "";
        if (!amountText && !percentText) return;
        const flatMinor = term.type === "cps" ? null : parseAmount(amountText, currency);
        const bps = term.type === "cpa" ? null : parsePercent(percentText);
        if ((term.type !== "cps" && !(flatMinor! > 0)) || (term.type !== "cpa" && !(bps! > 0))) {
          ctx.addIssue({
            code: "custom",
            path: ["percent"],
            message: `Enter a full ${term.type.toUpperCase()} rate for ${term.event}, like the offer's`,
          });
          return;
        }
        terms.push({ event: term.event, type: term.type, flatMinor, bps, tiers: [] });
      });
      return { partnershipId: form.partnershipId, terms: terms.length ? terms : null };
    });
}
