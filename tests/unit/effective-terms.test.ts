import { describe, expect, it } from "vitest";
import type { OfferTerm } from "#db/schema";
import { describeTerms, effectiveTerms } from "~/lib/terms";

const sale = (bps: number): OfferTerm => ({ event: "sale", type: "cps", flatMinor: null, bps, tiers: [] });
const lead = (flatMinor: number): OfferTerm => ({ event: "lead", type: "cpa", flatMinor, bps: null, tiers: [] });

describe("effectiveTerms", () => {
  it("is the offer's terms when the partnership has no custom terms", () => {
    const offer = [sale(800), lead(500)];
    expect(effectiveTerms(offer, null)).toEqual(offer);
    expect(effectiveTerms(offer, [])).toEqual(offer);
  });

  it("takes the custom term per event and keeps the offer's for the events left blank", () => {
    const custom = lead(900);
    const terms = effectiveTerms([sale(800), lead(500)], [custom]);
    expect(terms).toEqual([sale(800), lead(900)]);
    expect(terms[1]).toBe(custom);
    expect(describeTerms(terms, "USD")).toBe("sale: 8%; lead: $9.00");
  });

  it("keeps a custom term for an event the offer has since dropped", () => {
    expect(effectiveTerms([sale(800)], [sale(1000), lead(900)])).toEqual([sale(1000), lead(900)]);
  });
});
