/*
 * The marketplace's signals from real data (ADR 24): what each figure needs before it is stated, and
 * how it reads. Below its threshold in a window a figure is null, and the marketplace says "New" with
 * the threshold, so a thin sample never passes for a track record.
 */

/** EPC and conversion rate need this many non-bot clicks in the window. */
export const MIN_CLICKS = 100;
/** Approval rate and days to decision need this many conversions decided (approved or rejected) in the window. */
export const MIN_DECIDED = 10;
/** Reversal rate needs this many conversions approved in the window. */
export const MIN_APPROVED = 10;

/** The windows, in UTC days counting today, that the figures are computed over. */
export const SIGNAL_WINDOWS = [30, 90] as const;
export type SignalWindow = (typeof SIGNAL_WINDOWS)[number];

/** One window's figures as the marketplace shows them; null is "New". Amounts in minor units, rates in bps. */
export type SignalFigures = {
  epcMinor: number | null;
  conversionRateBps: number | null;
  approvalRateBps: number | null;
  avgDecisionDays: number | null;
  reversalRateBps: number | null;
};

/** What a figure is a share of, which its threshold counts. */
export type SignalBasis = "clicks" | "decided" | "approved";

const THRESHOLDS: Record<SignalBasis, string> = {
  clicks: `${MIN_CLICKS} clicks`,
  decided: `${MIN_DECIDED} decided conversions`,
  approved: `${MIN_APPROVED} approved conversions`,
};

/** Why a figure reads "New": "Fewer than 100 clicks in 30 days". */
export function thresholdText(basis: SignalBasis, windowDays: SignalWindow): string {
  return `Fewer than ${THRESHOLDS[basis]} in ${windowDays} days`;
}

/** Why every figure reads "New": the two thresholds the others follow from. */
export function allNewText(windowDays: SignalWindow): string {
  return `Fewer than ${THRESHOLDS.clicks} and ${THRESHOLDS.decided} in ${windowDays} days`;
}

/** Average hours to a decision as days with one decimal, rounded half-up on integers: 60 h → 2.5, 3 h → 0.1. */
export function decisionDays(hours: number): number {
  return Math.floor((hours * 10 + 12) / 24) / 10;
}

export function formatDays(days: number): string {
  return `${days} day${days === 1 ? "" : "s"}`;
}
