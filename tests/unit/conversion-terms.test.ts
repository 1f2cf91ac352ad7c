import { describe, expect, it } from "vitest";
import type { TermsSnapshot } from "#db/schema";
import { describeFeeSnapshot, describeTermsSnapshot } from "~/lib/conversion-terms";

const tiers = [
  { minConversions: 50, flatMinor: null, bps: 1000 },
  { minConversions: 200, flatMinor: null, bps: 1200 },
];

describe("the terms a conversion was priced with, in words", () => {
  it("names whose terms, the rate and the tier with the count that chose it", () => {
    const snapshot: TermsSnapshot = {
      source: "offer",
      term: { event: "sale", type: "cps", flatMinor: null, bps: 800, tiers },
      tierIndex: 1,
      monthConversionsBefore: 212,
      flatMinor: 0,
      bps: 1200,
    };
    expect(describeTermsSnapshot(snapshot, "USD")).toEqual([
      "Priced with the offer's terms for the sale event (CPS): 12% of the sale amount.",
      "Monthly tier 2 (from 200 conversions a month): this was the publisher's conversion number 213 on this offer this month.",
    ]);
    expect(describeTermsSnapshot({ ...snapshot, tierIndex: null, monthConversionsBefore: 1, bps: 800 }, "USD")[1]).toBe(
      "The base rate: this was the publisher's conversion number 2 on this offer this month, before the first tier (from 50 conversions a month).",
    );
  });

  it("describes a custom hybrid rate without tiers, and CPA in the currency's own digits", () => {
    const hybrid: TermsSnapshot = {
      source: "partnership",
      term: { event: "sale", type: "hybrid", flatMinor: 250, bps: 500, tiers: [] },
      tierIndex: null,
      monthConversionsBefore: 0,
      flatMinor: 250,
      bps: 500,
    };
    expect(describeTermsSnapshot(hybrid, "EUR")).toEqual([
      "Priced with a custom rate for this publisher for the sale event (Hybrid): €2.50 plus 5% of the sale amount.",
    ]);
    const cpa: TermsSnapshot = { ...hybrid, source: "offer", term: { ...hybrid.term, event: "lead", type: "cpa" }, flatMinor: 1500 };
    expect(describeTermsSnapshot(cpa, "JPY")[0]).toBe("Priced with the offer's terms for the lead event (CPA): ¥1,500 per conversion.");
  });

  it("says the fee, its minimum and whose policy it was", () => {
    expect(describeFeeSnapshot({ source: "merchant", bps: 1500, minimumMinor: 25 }, "USD")).toBe(
      "Network fee: 15% of the commission, at least $0.25 on a conversion that earns a commission (the rate agreed with this merchant), paid by the merchant on top of the commission.",
    );
    expect(describeFeeSnapshot({ source: "network", bps: 2000, minimumMinor: 0 }, "USD")).toBe(
      "Network fee: 20% of the commission (the network's default rate), paid by the merchant on top of the commission.",
    );
  });
});
