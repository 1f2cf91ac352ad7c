import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OfferTerm, OfferTier } from "#db/schema";
import { priceConversion, type FeePolicyInput, type PricingInput } from "~/modules/commissions/pricing";
import { MAX_AMOUNT_MINOR } from "~/lib/money";

const noFee: FeePolicyInput = { source: "network", bps: 0, minimumMinor: 0 };
const sale = (bps: number, tiers: OfferTier[] = []): OfferTerm => ({ event: "sale", type: "cps", flatMinor: null, bps, tiers });
const lead = (flatMinor: number): OfferTerm => ({ event: "lead", type: "cpa", flatMinor, bps: null, tiers: [] });
const input = (over: Partial<PricingInput>): PricingInput => ({
  event: "sale",
  saleAmountMinor: 10_000,
  offerTerms: [sale(800), lead(500)],
  customTerms: null,
  monthConversionsBefore: 0,
  fee: noFee,
  ...over,
});

describe("priceConversion", () => {
  it("prices CPS as bps of the sale, CPA as the flat amount, hybrid as both, each rounded half-up once", () => {
    expect(priceConversion(input({ saleAmountMinor: 4990 }))?.commissionMinor).toBe(399); // 399.2
    expect(priceConversion(input({ saleAmountMinor: 1005, offerTerms: [sale(5000)] }))?.commissionMinor).toBe(503); // 502.5
    expect(priceConversion(input({ event: "lead", saleAmountMinor: 123_456 }))?.commissionMinor).toBe(500);
    const hybrid: OfferTerm = { event: "sale", type: "hybrid", flatMinor: 250, bps: 333, tiers: [] };
    expect(priceConversion(input({ saleAmountMinor: 4990, offerTerms: [hybrid] }))?.commissionMinor).toBe(250 + 166); // 166.167
  });

  it("ignores a rate the payout type does not use", () => {
    const cps: OfferTerm = { event: "sale", type: "cps", flatMinor: 999, bps: 1000, tiers: [] };
    const cpa: OfferTerm = { event: "sale", type: "cpa", flatMinor: 500, bps: 1000, tiers: [] };
    expect(priceConversion(input({ offerTerms: [cps] }))?.commissionMinor).toBe(1000);
    expect(priceConversion(input({ offerTerms: [cpa] }))?.commissionMinor).toBe(500);
  });

  it("answers null for an event no terms cover", () => {
    expect(priceConversion(input({ event: "install" }))).toBeNull();
    expect(priceConversion(input({ event: "install", customTerms: [lead(100)] }))).toBeNull();
  });

  it("prefers the partnership's custom term for the event, and falls back to the offer's for other events", () => {
    const custom = [{ ...lead(900) }];
    const priced = priceConversion(input({ event: "lead", customTerms: custom }));
    expect(priced?.commissionMinor).toBe(900);
    expect(priced?.termsSnapshot).toMatchObject({ source: "partnership", term: custom[0], tierIndex: null, flatMinor: 900, bps: 0 });
    const offer = priceConversion(input({ event: "sale", customTerms: custom }));
    expect(offer?.commissionMinor).toBe(800);
    expect(offer?.termsSnapshot.source).toBe("offer");
  });

  it("applies a tier from the conversion that reaches its count: 12% from 50 conversions a month", () => {
    const tiered = [
      sale(800, [
        { minConversions: 50, flatMinor: null, bps: 1200 },
        { minConversions: 100, flatMinor: null, bps: 1500 },
      ]),
    ];
    const at = (before: number) => priceConversion(input({ offerTerms: tiered, monthConversionsBefore: before }))!;
    expect([at(0), at(48)].map((p) => [p.commissionMinor, p.termsSnapshot.tierIndex])).toEqual([
      [800, null],
      [800, null],
    ]);
    expect([at(49), at(98)].map((p) => [p.commissionMinor, p.termsSnapshot.tierIndex])).toEqual([
      [1200, 0],
      [1200, 0],
    ]);
    expect([at(99), at(10_000)].map((p) => [p.commissionMinor, p.termsSnapshot.tierIndex])).toEqual([
      [1500, 1],
      [1500, 1],
    ]);
    expect(at(49).termsSnapshot).toEqual({
      source: "offer",
      term: tiered[0],
      tierIndex: 0,
      monthConversionsBefore: 49,
      flatMinor: 0,
      bps: 1200,
    });
  });

  it("takes the network fee as bps of the commission, raised to the minimum, and none on a zero commission", () => {
    const fee = { source: "merchant" as const, bps: 2000, minimumMinor: 50 };
    expect(priceConversion(input({ fee }))).toMatchObject({ commissionMinor: 800, feeMinor: 160, merchantCostMinor: 960 });
    expect(priceConversion(input({ saleAmountMinor: 1000, fee }))).toMatchObject({
      commissionMinor: 80,
      feeMinor: 50,
      merchantCostMinor: 130,
    });
    expect(priceConversion(input({ saleAmountMinor: 0, fee }))).toMatchObject({ commissionMinor: 0, feeMinor: 0, merchantCostMinor: 0 });
    expect(priceConversion(input({ fee }))?.feeSnapshot).toEqual(fee);
  });

  it("snapshots copies, not the caller's objects", () => {
    const terms = [sale(800, [{ minConversions: 2, flatMinor: null, bps: 900 }])];
    const priced = priceConversion(input({ offerTerms: terms }))!;
    terms[0]!.tiers[0]!.bps = 1;
    expect(priced.termsSnapshot.term.tiers[0]!.bps).toBe(900);
  });

  it("refuses amounts and counts that are not whole, non-negative numbers", () => {
    expect(() => priceConversion(input({ saleAmountMinor: 10.5 }))).toThrow(RangeError);
    expect(() => priceConversion(input({ saleAmountMinor: -1 }))).toThrow(RangeError);
    expect(() => priceConversion(input({ monthConversionsBefore: -1 }))).toThrow(RangeError);
    expect(() => priceConversion(input({ fee: { ...noFee, minimumMinor: 0.5 } }))).toThrow(RangeError);
    expect(() => priceConversion(input({ fee: { ...noFee, bps: 12.5 } }))).toThrow(RangeError);
  });
});

describe("priceConversion properties", () => {
  const amount = fc.integer({ min: 0, max: MAX_AMOUNT_MINOR });
  const bps = fc.integer({ min: 1, max: 10_000 });
  const flat = fc.integer({ min: 1, max: 10_000_000 });
  const type = fc.constantFrom("cps" as const, "cpa" as const, "hybrid" as const);
  type TierRates = { minConversions: number; flatMinor: number; bps: number };
  const noTiers: fc.Arbitrary<TierRates[]> = fc.constant([]);
  const tiers: fc.Arbitrary<TierRates[]> = fc
    .uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 5 })
    .map((mins) => mins.sort((a, b) => a - b))
    .chain((mins) => fc.tuple(...mins.map((min) => fc.record({ minConversions: fc.constant(min), flatMinor: flat, bps }))));
  /** A term as the offer form makes it: the rates its type uses, null for the others. */
  const term = (event: string, withTiers: boolean) =>
    fc.record({ type, flatMinor: flat, bps, tiers: withTiers ? tiers : noTiers }).map((t): OfferTerm => ({
      event,
      type: t.type,
      flatMinor: t.type === "cps" ? null : t.flatMinor,
      bps: t.type === "cpa" ? null : t.bps,
      tiers: t.tiers.map((tier) => ({
        minConversions: tier.minConversions,
        flatMinor: t.type === "cps" ? null : tier.flatMinor,
        bps: t.type === "cpa" ? null : tier.bps,
      })),
    }));
  const fee = fc.record({
    source: fc.constantFrom("network" as const, "merchant" as const),
    bps: fc.integer({ min: 0, max: 10_000 }),
    minimumMinor: fc.integer({ min: 0, max: 100_000 }),
  });
  const pricing = fc.record({
    event: fc.constantFrom("sale", "lead"),
    saleAmountMinor: amount,
    offerTerms: fc.tuple(term("sale", true), term("lead", true)),
    customTerms: fc.option(fc.tuple(term("sale", false))),
    monthConversionsBefore: fc.integer({ min: 0, max: 1_000 }),
    fee,
  });

  it("never negative, always safe integers, and merchant cost is exactly commission + fee", () => {
    fc.assert(
      fc.property(pricing, (p) => {
        const priced = priceConversion(p)!;
        const { commissionMinor, feeMinor, merchantCostMinor } = priced;
        for (const value of [commissionMinor, feeMinor, merchantCostMinor]) {
          expect(Number.isSafeInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
        }
        expect(BigInt(merchantCostMinor)).toBe(BigInt(commissionMinor) + BigInt(feeMinor));
      }),
      { numRuns: 3000 },
    );
  });

  it("matches an exact bigint oracle of the rate, the tier and the fee", () => {
    const half = (a: bigint, b: bigint) => (a * b + 5000n) / 10_000n;
    fc.assert(
      fc.property(pricing, (p) => {
        const priced = priceConversion(p)!;
        const t = p.customTerms?.find((c) => c.event === p.event) ?? p.offerTerms.find((o) => o.event === p.event)!;
        const reached = t.tiers.filter((tier) => tier.minConversions <= p.monthConversionsBefore + 1).at(-1);
        const rate = reached ?? t;
        const commission = BigInt(rate.flatMinor ?? 0) + half(BigInt(p.saleAmountMinor), BigInt(rate.bps ?? 0));
        const fee =
          commission === 0n ? 0n : [half(commission, BigInt(p.fee.bps)), BigInt(p.fee.minimumMinor)].reduce((a, b) => (a > b ? a : b));
        expect([BigInt(priced.commissionMinor), BigInt(priced.feeMinor)]).toEqual([commission, fee]);
      }),
      { numRuns: 3000 },
    );
  });

  it("applies the minimum fee exactly: the fee is the minimum whenever the bps part falls short", () => {
    fc.assert(
      fc.property(pricing, (p) => {
        const { commissionMinor, feeMinor } = priceConversion(p)!;
        const byRate = Number((BigInt(commissionMinor) * BigInt(p.fee.bps) + 5000n) / 10_000n);
        if (commissionMinor === 0) expect(feeMinor).toBe(0);
        else expect(feeMinor).toBe(byRate < p.fee.minimumMinor ? p.fee.minimumMinor : byRate);
      }),
      { numRuns: 3000 },
    );
  });

  it("custom terms beat the offer's for their event", () => {
    fc.assert(
      fc.property(pricing, term("sale", false), (p, custom) => {
        const priced = priceConversion({ ...p, event: "sale", customTerms: [custom] })!;
        const alone = priceConversion({ ...p, event: "sale", offerTerms: [custom], customTerms: null, monthConversionsBefore: 0 })!;
        expect(priced.termsSnapshot.source).toBe("partnership");
        expect(priced.commissionMinor).toBe(alone.commissionMinor);
      }),
    );
  });

  it("selects tiers monotonically: more conversions before never picks a lower tier", () => {
    fc.assert(
      fc.property(term("sale", true), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }), (t, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const minOf = (before: number) => {
          const index = priceConversion(input({ offerTerms: [t], monthConversionsBefore: before }))!.termsSnapshot.tierIndex;
          return index === null ? 0 : t.tiers[index]!.minConversions;
        };
        expect(minOf(high)).toBeGreaterThanOrEqual(minOf(low));
        expect(minOf(low)).toBeLessThanOrEqual(low + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
