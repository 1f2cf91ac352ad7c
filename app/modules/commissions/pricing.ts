import type { FeeSnapshot, OfferTerm, TermsSnapshot } from "#db/schema";
import { applyBps, sumMoney } from "~/lib/money";
import { termFor } from "~/lib/terms";

/*
 * What one conversion earns and costs (ADR 17). Pure: the caller reads the terms, the fee policy and
 * the month's count under the counter's row lock, and stores the snapshots this returns.
 */

export type FeePolicyInput = { source: "network" | "merchant"; bps: number; minimumMinor: number };
export type PricingInput = {
  event: string;
  saleAmountMinor: number;
  offerTerms: readonly OfferTerm[];
  customTerms: readonly OfferTerm[] | null;
  /** The partnership's conversions on this offer earlier this calendar month; this one is number + 1. */
  monthConversionsBefore: number;
  fee: FeePolicyInput;
};
export type Priced = {
  commissionMinor: number;
  feeMinor: number;
  merchantCostMinor: number;
  termsSnapshot: TermsSnapshot;
  feeSnapshot: FeeSnapshot;
};

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of at least 0, not ${value}`);
}

/**
 * "12% from 50 conversions a month": the tier with the highest minConversions at most n, where this
 * conversion is the n-th of the month; null (the term's own rate) before the first tier.
 */
function tierIndexFor(term: OfferTerm, monthConversionsBefore: number): number | null {
  const nth = monthConversionsBefore + 1;
  let chosen: number | null = null;
  for (const [i, tier] of term.tiers.entries()) {
    if (tier.minConversions <= nth && (chosen === null || tier.minConversions > term.tiers[chosen]!.minConversions)) chosen = i;
  }
  return chosen;
}

/**
 * The commission, network fee and merchant cost of one conversion, or null when neither the
 * partnership's custom terms nor the offer's terms have a rate for the event.
 */
export function priceConversion(input: PricingInput): Priced | null {
  const { event, saleAmountMinor, monthConversionsBefore, fee } = input;
  assertCount("The sale amount", saleAmountMinor);
  assertCount("The month's conversion count", monthConversionsBefore);
  const term = termFor(event, input.offerTerms, input.customTerms);
  if (term === undefined) return null;
  const custom = input.customTerms?.includes(term) ?? false;

  const tierIndex = tierIndexFor(term, monthConversionsBefore);
  const rate = tierIndex === null ? term : term.tiers[tierIndex]!;
  // A rate the payout type does not use is null (the offer and custom-term forms fill every one it uses).
  const flatMinor = term.type === "cps" ? 0 : (rate.flatMinor ?? 0);
  const bps = term.type === "cpa" ? 0 : (rate.bps ?? 0);
  assertCount("A flat commission", flatMinor);
  const commissionMinor = sumMoney([flatMinor, applyBps(saleAmountMinor, bps)]);

  assertCount("The fee minimum", fee.minimumMinor);
  const feeMinor = commissionMinor === 0 ? 0 : Math.max(applyBps(commissionMinor, fee.bps), fee.minimumMinor);
  return {
    commissionMinor,
    feeMinor,
    merchantCostMinor: sumMoney([commissionMinor, feeMinor]),
    termsSnapshot: {
      source: custom ? "partnership" : "offer",
      term: { ...term, tiers: term.tiers.map((tier) => ({ ...tier })) },
      tierIndex,
      monthConversionsBefore,
      flatMinor,
      bps,
    },
    feeSnapshot: { source: fee.source, bps: fee.bps, minimumMinor: fee.minimumMinor },
  };
}
