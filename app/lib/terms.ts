import type { OfferTerm } from "#db/schema";
import { formatBps, formatMoney } from "./money";

function rate(flatMinor: number | null, bps: number | null, currency: string) {
  return [flatMinor !== null ? formatMoney(flatMinor, currency) : null, bps !== null ? formatBps(bps) : null].filter(Boolean).join(" + ");
}

/**
 * The terms a partnership is paid by, one per event: its custom term for the event if it has one
 * (custom terms may be partial: a blank event keeps the offer's rate), else the offer's. A custom
 * term for an event the offer has since dropped still pays, as it was agreed. The terms are the
 * callers' own objects, not copies.
 */
export function effectiveTerms(offerTerms: readonly OfferTerm[], customTerms: readonly OfferTerm[] | null): OfferTerm[] {
  const events = new Set([...offerTerms, ...(customTerms ?? [])].map((t) => t.event));
  return [...events].map((event) => termFor(event, offerTerms, customTerms)!);
}

/** The one term of effectiveTerms for an event, found without building the list (a postback asks once per request). */
export function termFor(event: string, offerTerms: readonly OfferTerm[], customTerms: readonly OfferTerm[] | null): OfferTerm | undefined {
  return customTerms?.find((t) => t.event === event) ?? offerTerms.find((t) => t.event === event);
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
