import type { OfferTerm } from "#db/schema";
import { formatBps, formatMoney } from "./money";

function rate(flatMinor: number | null, bps: number | null, currency: string) {
  return [flatMinor !== null ? formatMoney(flatMinor, currency) : null, bps !== null ? formatBps(bps) : null].filter(Boolean).join(" + ");
}

/** "sale: 8% (12% from 50 conversions a month); lead: $5.00" */
export function describeTerms(terms: OfferTerm[], currency: string): string {
  return terms
    .map((t) => {
      const tiers = t.tiers.map((tier) => `${rate(tier.flatMinor, tier.bps, currency)} from ${tier.minConversions} a month`);
      return `${t.event}: ${rate(t.flatMinor, t.bps, currency)}${tiers.length ? ` (${tiers.join(", ")})` : ""}`;
    })
    .join("; ");
}

/**
 * What a listing shows first: the payout type of the main event (sale if there is one) and the best
 * percentage and flat amount any event or tier reaches.
 */
export function headline(terms: OfferTerm[]) {
  const main = terms.find((t) => t.event === "sale") ?? terms[0]!;
  const rates = terms.flatMap((t) => [t, ...t.tiers]);
  const bps = Math.max(0, ...rates.map((r) => r.bps ?? 0));
  const flatMinor = Math.max(0, ...rates.map((r) => r.flatMinor ?? 0));
  return { payoutType: main.type, bps, flatMinor };
}

export function describeHeadline(terms: OfferTerm[], currency: string): string {
  const h = headline(terms);
  const tiered = terms.some((t) => t.tiers.length > 0);
  const text = rate(h.flatMinor || null, h.bps || null, currency);
  return tiered ? `up to ${text}` : text;
}
