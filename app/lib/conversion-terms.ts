import type { FeeSnapshot, TermsSnapshot } from "#db/schema";
import { PAYOUT_TYPE_NAMES } from "./labels";
import { formatBps, formatMoney } from "./money";

function rate(type: TermsSnapshot["term"]["type"], flatMinor: number, bps: number, currency: string) {
  if (type === "cps") return `${formatBps(bps)} of the sale amount`;
  if (type === "cpa") return `${formatMoney(flatMinor, currency)} per conversion`;
  return `${formatMoney(flatMinor, currency)} plus ${formatBps(bps)} of the sale amount`;
}

const conversionsText = (n: number) => `${n} conversion${n === 1 ? "" : "s"}`;

/**
 * The terms a conversion was priced with, in sentences: whose terms, the rate used, and how the
 * monthly tier was chosen.
 */
export function describeTermsSnapshot(terms: TermsSnapshot, currency: string): string[] {
  const whose = terms.source === "partnership" ? "a custom rate for this publisher" : "the offer's terms";
  const sentences = [
    `Priced with ${whose} for the ${terms.term.event} event (${PAYOUT_TYPE_NAMES[terms.term.type]}): ${rate(terms.term.type, terms.flatMinor, terms.bps, currency)}.`,
  ];
  // The n-th conversion of the month picks the tier, counting this one (commissions/pricing.ts).
  const nth = `this was the publisher's conversion number ${terms.monthConversionsBefore + 1} on this offer this month`;
  const tier = terms.tierIndex === null ? undefined : terms.term.tiers[terms.tierIndex];
  if (tier) {
    sentences.push(`Monthly tier ${terms.tierIndex! + 1} (from ${conversionsText(tier.minConversions)} a month): ${nth}.`);
  } else if (terms.term.tiers.length) {
    const first = Math.min(...terms.term.tiers.map((t) => t.minConversions));
    sentences.push(`The base rate: ${nth}, before the first tier (from ${conversionsText(first)} a month).`);
  }
  return sentences;
}

/** The network fee policy a conversion was priced with, in a sentence. */
export function describeFeeSnapshot(fee: FeeSnapshot, currency: string): string {
  const whose = fee.source === "merchant" ? "the rate agreed with this merchant" : "the network's default rate";
  const minimum =
    fee.minimumMinor > 0 ? `, at least ${formatMoney(fee.minimumMinor, currency)} on a conversion that earns a commission` : "";
  return `Network fee: ${formatBps(fee.bps)} of the commission${minimum} (${whose}), paid by the merchant on top of the commission.`;
}
