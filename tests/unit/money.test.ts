import { describe, expect, it } from "vitest";
import { amountToText, bpsToText, currencyDigits, formatBps, formatMoney, parseAmount, parsePercent } from "~/modules/offers/money";

describe("money", () => {
  it("parses decimal amounts into exact minor units per currency", () => {
    expect(parseAmount("12.5", "USD")).toBe(1250);
    expect(parseAmount("0.07", "EUR")).toBe(7);
    expect(parseAmount("1,000.99", "USD")).toBe(100099);
    expect(parseAmount("1500", "JPY")).toBe(1500);
    expect(parseAmount("1.234", "BHD")).toBe(1234);
    expect(currencyDigits("BHD")).toBe(3);
  });
  it("refuses what is not a plain amount of that currency", () => {
    expect(parseAmount("12.345", "USD")).toBeNull();
    expect(parseAmount("1.5", "JPY")).toBeNull();
    expect(parseAmount("-3", "USD")).toBeNull();
    expect(parseAmount("1e3", "USD")).toBeNull();
    expect(parseAmount("", "USD")).toBeNull();
  });
  it("parses percentages into basis points and round-trips them", () => {
    expect(parsePercent("7.25")).toBe(725);
    expect(parsePercent("100")).toBe(10_000);
    expect(parsePercent("0.5")).toBe(50);
    expect(parsePercent("100.01")).toBeNull();
    expect(parsePercent("3.333")).toBeNull();
    expect(bpsToText(725)).toBe("7.25");
    expect(bpsToText(750)).toBe("7.5");
    expect(bpsToText(1000)).toBe("10");
    expect(formatBps(5)).toBe("0.05%");
  });
  it("formats and shows amounts back exactly", () => {
    expect(formatMoney(123456, "USD")).toBe("$1,234.56");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(amountToText(5, "USD")).toBe("0.05");
    expect(amountToText(1500, "JPY")).toBe("1500");
  });
});
