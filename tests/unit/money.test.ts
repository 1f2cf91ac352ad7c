import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  amountFromSum,
  amountPer,
  amountToText,
  applyBps,
  bpsToText,
  CURRENCIES,
  currencyDigits,
  currencySchema,
  formatBps,
  formatMoney,
  MAX_AMOUNT_MINOR,
  parseAmount,
  parsePercent,
  sumMoney,
} from "~/lib/money";

const currency = fc.constantFrom(...CURRENCIES);
const amount = fc.integer({ min: 0, max: MAX_AMOUNT_MINOR });
const bps = fc.integer({ min: 0, max: 10_000 });

describe("currencies", () => {
  it("takes minor-unit digits from ISO 4217, not from Intl", () => {
    expect(["HUF", "IDR", "IQD", "JPY", "KWD", "BHD", "CLP", "ISK", "UGX", "CLF"].map(currencyDigits)).toEqual([
      2, 2, 3, 0, 3, 3, 0, 0, 0, 4,
    ]);
    expect(CURRENCIES).toContain("XCG");
    expect(CURRENCIES).not.toContain("XAU");
    expect(() => currencyDigits("XYZ")).toThrow(RangeError);
  });

  it("validates a typed code against the table", () => {
    expect(currencySchema.parse(" eur ")).toBe("EUR");
    expect(currencySchema.safeParse("XYZ").error?.issues[0]?.message).toBe("Unknown currency: use an ISO 4217 code like USD");
  });
});

describe("parseAmount", () => {
  it("reads decimals with a dot into exact minor units per currency", () => {
    expect(parseAmount("12.5", "USD").value).toBe(1250);
    expect(parseAmount(" 0.07 ", "EUR").value).toBe(7);
    expect(parseAmount("1,000.99", "USD").value).toBe(100099);
    expect(parseAmount("12,345,678", "USD").value).toBe(1234567800);
    expect(parseAmount("1,250", "EUR").value).toBe(125000);
    expect(parseAmount("1,500", "JPY").value).toBe(1500);
    expect(parseAmount("1.234", "BHD").value).toBe(1234);
    expect(parseAmount("1,250.000", "KWD").value).toBe(1250000);
  });

  it("refuses a decimal comma and any comma that does not group thousands, telling people to use a dot", () => {
    for (const text of ["12,50", "0,50", "1,2", "1,2345", "1,25.00", "0,500", "12,50.5"]) {
      expect(parseAmount(text, "EUR")).toEqual({
        value: null,
        error: "Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00",
      });
    }
    expect(parseAmount("1,2", "JPY").error).toBe("JPY amounts have no decimals; a comma may only separate thousands, as in 1,250");
  });

  it("refuses a comma that could be a decimal comma in a currency with three decimals", () => {
    expect(parseAmount("1,250", "KWD").error).toBe('"1,250" could mean 1250 or 1.250: write 1250, or use a dot for decimals');
  });

  it("names the currency's digits when there are too many decimals", () => {
    expect(parseAmount("12.345", "USD").error).toBe("USD amounts have at most 2 decimals");
    expect(parseAmount("1.5", "JPY").error).toBe("JPY amounts have no decimals");
    expect(parseAmount("0.0001", "KWD").error).toBe("KWD amounts have at most 3 decimals");
  });

  it("refuses blank, negative, garbage and oversized amounts with a message", () => {
    expect(parseAmount("", "USD").error).toBe("Enter an amount in USD, like 25.00");
    expect(parseAmount("-3", "USD").error).toBe("An amount cannot be negative");
    for (const text of ["1e3", "$5", "5.", ".5", "1 000", "0x10", "Infinity", "NaN", "１２"]) {
      expect(parseAmount(text, "USD").error).toBe("Enter the amount in digits, like 25.00, without a currency sign");
    }
    expect(parseAmount("10000000000.00", "USD").value).toBe(MAX_AMOUNT_MINOR);
    expect(parseAmount("10000000000.01", "USD").error).toBe("Enter at most $10,000,000,000.00");
    expect(parseAmount("9".repeat(400), "USD").error).toBe("Enter at most $10,000,000,000.00");
  });

  it("reads back the form text of every amount in every currency", () => {
    fc.assert(
      fc.property(currency, amount, (c, minor) => {
        expect(parseAmount(amountToText(minor, c), c)).toEqual({ value: minor, error: null });
      }),
      { numRuns: 2000 },
    );
  });

  it("reads back the figures of the display text of every amount in every currency", () => {
    fc.assert(
      fc.property(currency, amount, (c, minor) => {
        const figures = /[\d,.]+$/.exec(formatMoney(minor, c))![0];
        expect(parseAmount(figures, c)).toEqual({ value: minor, error: null });
      }),
      { numRuns: 2000 },
    );
  });

  it("never reads a decimal comma, in any currency", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCIES.filter((c) => currencyDigits(c) > 0)), amount, (c, minor) => {
        expect(parseAmount(amountToText(minor, c).replace(".", ","), c).value).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it("gives a safe integer or a message for any text", () => {
    fc.assert(
      fc.property(currency, fc.string({ unit: fc.constantFrom(..."0123456789,.- e".split("")), maxLength: 20 }), (c, text) => {
        const parsed = parseAmount(text, c);
        if (parsed.value === null) expect(parsed.error).toMatch(/\w/);
        else expect(Number.isSafeInteger(parsed.value) && parsed.value >= 0 && parsed.value <= MAX_AMOUNT_MINOR).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("parsePercent", () => {
  it("reads a percentage into basis points with the same comma rule", () => {
    expect(parsePercent("7.25").value).toBe(725);
    expect(parsePercent("100").value).toBe(10_000);
    expect(parsePercent("0.5").value).toBe(50);
    expect(parsePercent("100.01").error).toBe("Enter a percentage between 0 and 100");
    expect(parsePercent("3.333").error).toBe("A percentage has at most two decimals, like 7.25");
    expect(parsePercent("7,5").error).toBe("Use a dot for decimals, like 7.25");
    expect(parsePercent("7%").error).toBe("Enter the percentage in digits, like 7.25, without the % sign");
    expect(parsePercent("").error).toBe("Enter a percentage, like 7.5");
    expect(parsePercent("-1").error).toBe("A percentage cannot be negative");
  });

  it("reads back the form text of every rate", () => {
    fc.assert(
      fc.property(bps, (rate) => {
        expect(parsePercent(bpsToText(rate)).value).toBe(rate);
      }),
    );
  });
});

describe("formatting", () => {
  it("writes amounts from their integer digits, symbols for a few currencies and codes for the rest", () => {
    expect(formatMoney(123456, "USD")).toBe("$1,234.56");
    expect(formatMoney(125000, "EUR")).toBe("€1,250.00");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(1234, "KWD")).toBe("KWD\u00a01.234");
    expect(formatMoney(5, "HUF")).toBe("HUF\u00a00.05");
    expect(formatMoney(-500, "USD")).toBe("-$5.00");
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91");
    expect(() => formatMoney(1.5, "USD")).toThrow(RangeError);
    expect(amountToText(5, "USD")).toBe("0.05");
    expect(amountToText(1500, "JPY")).toBe("1500");
    expect(amountToText(null, "USD")).toBe("");
  });

  it("writes what Intl writes for the currencies with a symbol, without asking Intl at render time", () => {
    for (const c of [
      "USD",
      "EUR",
      "GBP",
      "JPY",
      "INR",
      "CNY",
      "CAD",
      "AUD",
      "NZD",
      "HKD",
      "MXN",
      "BRL",
      "TWD",
      "KRW",
      "ILS",
      "VND",
      "PHP",
      "CHF",
    ]) {
      const digits = currencyDigits(c);
      const intl = new Intl.NumberFormat("en", {
        style: "currency",
        currency: c,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      for (const minor of [0, 7, 123456, 987654321]) {
        expect(formatMoney(minor, c)).toBe(intl.format(amountToText(minor, c) as `${number}`));
      }
    }
  });

  it("writes rates exactly", () => {
    expect(bpsToText(725)).toBe("7.25");
    expect(bpsToText(750)).toBe("7.5");
    expect(bpsToText(1000)).toBe("10");
    expect(bpsToText(0)).toBe("0");
    expect(formatBps(5)).toBe("0.05%");
  });
});

describe("arithmetic", () => {
  it("applies basis points with half-up rounding done once", () => {
    expect(applyBps(1005, 5000)).toBe(503);
    expect(applyBps(1, 5000)).toBe(1);
    expect(applyBps(1, 4999)).toBe(0);
    expect(applyBps(999, 725)).toBe(72);
    expect(applyBps(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("equals exact rational rounding half-up for any amount and rate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), bps, (minor, rate) => {
        const product = BigInt(minor) * BigInt(rate);
        const quotient = product / 10_000n;
        const expected = product % 10_000n >= 5_000n ? quotient + 1n : quotient;
        const result = applyBps(minor, rate);
        expect(Number.isSafeInteger(result)).toBe(true);
        expect(BigInt(result)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it("shares an amount over a count rounded half-up, as Math.round does on exact quotients", () => {
    expect(amountPer(5, 2)).toBe(3);
    expect(amountPer(4, 3)).toBe(1);
    expect(amountPer(-5, 2)).toBe(-2);
    expect(amountPer(-7, 2)).toBe(-3);
    expect(amountPer(0, 9)).toBe(0);
    expect(amountPer(Number.MAX_SAFE_INTEGER, 2)).toBe(4_503_599_627_370_496);
    expect(() => amountPer(5, 0)).toThrow(RangeError);
    expect(() => amountPer(5.5, 2)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000 }), (minor, count) => {
        expect(amountPer(minor, count)).toBe(Math.round(minor / count) + 0); // + 0: no negative zero
      }),
    );
  });

  it("refuses a result past Number.MAX_SAFE_INTEGER, a fraction or a negative input instead of losing precision", () => {
    expect(() => applyBps(Number.MAX_SAFE_INTEGER, 10_001)).toThrow(RangeError);
    expect(() => applyBps(100.5, 100)).toThrow(RangeError);
    expect(() => applyBps(100, 1.5)).toThrow(RangeError);
    expect(() => applyBps(-100, 100)).toThrow(RangeError);
    expect(() => sumMoney([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumMoney([0.1, 0.2])).toThrow(RangeError);
    expect(() => sumMoney([2 ** 53])).toThrow(RangeError);
    expect(sumMoney([Number.MAX_SAFE_INTEGER, 1, -1])).toBe(Number.MAX_SAFE_INTEGER);
    expect(sumMoney([])).toBe(0);
  });

  it("sums exactly, or refuses", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { maxLength: 50 }), (amounts) => {
        const exact = amounts.reduce((total, a) => total + BigInt(a), 0n);
        if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < -BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(() => sumMoney(amounts)).toThrow(RangeError);
        } else {
          expect(BigInt(sumMoney(amounts))).toBe(exact);
        }
      }),
    );
  });
});

describe("sums the database made", () => {
  it("are read exactly, and refused past the safe integers rather than rounded", () => {
    expect(amountFromSum("123456789012345")).toBe(123456789012345);
    expect(amountFromSum("-960")).toBe(-960);
    expect(amountFromSum(null)).toBe(0);
    expect(() => amountFromSum("9007199254740993")).toThrow(RangeError);
    expect(() => amountFromSum("12.5")).toThrow(RangeError);
  });
});
