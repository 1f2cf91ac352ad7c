import { z } from "zod";
import { ISO_4217_DIGITS } from "./iso4217";

/*
 * An amount is a plain number of minor units of its currency (cents of USD, yen, fils of KWD) and is
 * always a safe integer; a rate is an integer number of basis points (1% = 100 bps). Every function
 * here refuses anything else, so neither a float nor an integer past Number.MAX_SAFE_INTEGER reaches
 * a stored amount. Arithmetic runs on bigint and converts back only when the result fits.
 */

export type Currency = keyof typeof ISO_4217_DIGITS;
export const CURRENCIES = Object.keys(ISO_4217_DIGITS) as Currency[];

export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(ISO_4217_DIGITS, code);
}

/** The ISO 4217 minor-unit digits of a currency: 2 for USD, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  if (!isCurrency(currency)) throw new RangeError(`Unknown currency: ${currency}`);
  return ISO_4217_DIGITS[currency];
}

export const currencySchema = z
  .string({ error: "Choose a currency" })
  .trim()
  .toUpperCase()
  .refine(isCurrency, "Unknown currency: use an ISO 4217 code like USD");

/** The most a person may type for one amount: far above any payout, and thousands of them still sum exactly. */
export const MAX_AMOUNT_MINOR = 10 ** 12;

/** What a person typed, read: the number, or a sentence to show next to the field. */
export type Parsed = { value: number; error: null } | { value: null; error: string };

const ok = (value: number): Parsed => ({ value, error: null });
const refuse = (error: string): Parsed => ({ value: null, error });

const PLAIN = /^(\d+)(?:\.(\d+))?$/;
const GROUPED = /^([1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?$/;
/** "1,250": a thousands separator, or a decimal comma before three decimals. */
const ONE_GROUP = /^[1-9]\d{0,2},\d{3}$/;

type Reading = { scaled: bigint } | { problem: "blank" | "negative" | "comma" | "ambiguous" | "unreadable" | "decimals" };

/**
 * A non-negative decimal with a dot for decimals, scaled by 10^digits, with exact string arithmetic.
 * Commas may only group thousands, and only where they cannot be a decimal comma for this many digits.
 */
function readDecimal(input: string, digits: number): Reading {
  const text = input.trim();
  if (text === "") return { problem: "blank" };
  if (text.startsWith("-")) return { problem: "negative" };
  const match = PLAIN.exec(text) ?? GROUPED.exec(text);
  if (!match) return { problem: text.includes(",") ? "comma" : "unreadable" };
  const whole = match[1]!.replaceAll(",", "");
  const fraction = match[2] ?? "";
  if (digits >= 3 && ONE_GROUP.test(text)) return { problem: "ambiguous" };
  if (fraction.length > digits) return { problem: "decimals" };
  return { scaled: BigInt(whole + fraction.padEnd(digits, "0")) };
}

/** "12.50" in USD → 1250; "1,250.00" → 125000. Refuses "12,50" and anything else it cannot read one way only. */
export function parseAmount(text: string, currency: string): Parsed {
  const digits = currencyDigits(currency);
  const typed = text.trim();
  const reading = readDecimal(typed, digits);
  if ("scaled" in reading) {
    return reading.scaled <= BigInt(MAX_AMOUNT_MINOR)
      ? ok(Number(reading.scaled))
      : refuse(`Enter at most ${formatMoney(MAX_AMOUNT_MINOR, currency)}`);
  }
  const example = decimalText(25 * 10 ** digits, digits);
  const thousands = groupedText(decimalText(1250 * 10 ** digits, digits));
  switch (reading.problem) {
    case "blank":
      return refuse(`Enter an amount in ${currency}, like ${example}`);
    case "negative":
      return refuse("An amount cannot be negative");
    case "comma":
      return refuse(
        digits === 0
          ? `${currency} amounts have no decimals; a comma may only separate thousands, as in ${thousands}`
          : `Use a dot for decimals, like ${decimalText(1250 * 10 ** (digits - 2), digits)}; a comma may only separate thousands, as in ${thousands}`,
      );
    case "ambiguous": {
      const whole = typed.replace(",", "");
      return refuse(`"${typed}" could mean ${whole} or ${typed.replace(",", ".")}: write ${whole}, or use a dot for decimals`);
    }
    case "unreadable":
      return refuse(`Enter the amount in digits, like ${example}, without a currency sign`);
    case "decimals":
      return refuse(digits === 0 ? `${currency} amounts have no decimals` : `${currency} amounts have at most ${digits} decimals`);
  }
}

/** "7.25" (percent) → 725 basis points, from 0 to 100 %. Same comma rule as amounts. */
export function parsePercent(text: string): Parsed {
  const reading = readDecimal(text, 2);
  if ("scaled" in reading) return reading.scaled <= 10_000n ? ok(Number(reading.scaled)) : refuse("Enter a percentage between 0 and 100");
  switch (reading.problem) {
    case "blank":
      return refuse("Enter a percentage, like 7.5");
    case "negative":
      return refuse("A percentage cannot be negative");
    case "comma":
    case "ambiguous":
      return refuse("Use a dot for decimals, like 7.25");
    case "unreadable":
      return refuse("Enter the percentage in digits, like 7.25, without the % sign");
    case "decimals":
      return refuse("A percentage has at most two decimals, like 7.25");
  }
}

function assertMinor(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not a whole number of minor units: ${amount}`);
}

/** 123456 with 2 digits → "1234.56": from the integer's own digits, never by dividing. */
function decimalText(minor: number, digits: number): string {
  assertMinor(minor);
  const sign = minor < 0 ? "-" : "";
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "1234.56" → "1,234.56" */
function groupedText(decimal: string): string {
  const [whole = "", fraction] = decimal.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A stored amount as a form field shows it, plain ("1250.00"): parseAmount reads it back to the same amount. */
export function amountToText(minor: number | null, currency: string): string {
  return minor === null ? "" : decimalText(minor, currencyDigits(currency));
}

/*
 * Symbols as English Intl writes them; every other currency is written by its code. Built by hand,
 * not by Intl at render time: Node and the browser ship different ICU data, and text that differs
 * between the two breaks hydration.
 */
const SYMBOLS: Partial<Record<Currency, string>> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  INR: "₹",
  CNY: "CN¥",
  CAD: "CA$",
  AUD: "A$",
  NZD: "NZ$",
  HKD: "HK$",
  MXN: "MX$",
  BRL: "R$",
  TWD: "NT$",
  KRW: "₩",
  ILS: "₪",
  VND: "₫",
  PHP: "₱",
};

/** 123456 USD → "$1,234.56"; 1500 JPY → "¥1,500"; 1234 KWD → "KWD 1.234" (with a no-break space). */
export function formatMoney(minor: number, currency: string): string {
  const text = decimalText(minor, currencyDigits(currency));
  const sign = text.startsWith("-") ? "-" : "";
  const symbol = SYMBOLS[currency as Currency];
  return `${sign}${symbol ?? `${currency}\u00a0`}${groupedText(text.slice(sign.length))}`;
}

/** 725 → "7.25", 750 → "7.5", 1000 → "10": a rate as a form field shows it. */
export function bpsToText(bps: number | null): string {
  return bps === null ? "" : decimalText(bps, 2).replace(/\.?0+$/, "");
}

export function formatBps(bps: number): string {
  return `${bpsToText(bps)}%`;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toAmount(value: bigint): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) throw new RangeError(`${value} minor units is past Number.MAX_SAFE_INTEGER`);
  return Number(value);
}

/**
 * A sum of amounts the database added up (PostgreSQL's sum of bigint is an exact numeric, read as
 * text): the same amount, or a RangeError past Number.MAX_SAFE_INTEGER, never a rounded float.
 */
export function amountFromSum(text: string | null): number {
  if (text === null) return 0;
  if (!/^-?\d+$/.test(text)) throw new RangeError(`Not a whole number of minor units: ${text}`);
  return toAmount(BigInt(text));
}

/** bps of an amount, rounded half-up to the minor unit exactly once: applyBps(1005, 5000) = 503. */
export function applyBps(amountMinor: number, bps: number): number {
  assertMinor(amountMinor);
  if (amountMinor < 0) throw new RangeError(`applyBps takes a non-negative amount, not ${amountMinor}: negate the result instead`);
  if (!Number.isSafeInteger(bps) || bps < 0) throw new RangeError(`Not a whole non-negative number of basis points: ${bps}`);
  return toAmount((BigInt(amountMinor) * BigInt(bps) + 5_000n) / 10_000n);
}

/**
 * An amount shared over a count (earnings per click), rounded half-up to the minor unit:
 * amountPer(5, 2) = 3, amountPer(-5, 2) = -2.
 */
export function amountPer(amountMinor: number, count: number): number {
  assertMinor(amountMinor);
  if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError(`Not a positive whole count: ${count}`);
  // floor(amount / count + 1/2), in integers: BigInt division truncates, so negative quotients step down.
  const twice = 2n * BigInt(amountMinor) + BigInt(count);
  const divisor = 2n * BigInt(count);
  const quotient = twice / divisor;
  return toAmount(twice % divisor < 0n ? quotient - 1n : quotient);
}

/** The exact sum of amounts in one currency; throws rather than return a sum past Number.MAX_SAFE_INTEGER. */
export function sumMoney(amounts: Iterable<number>): number {
  let total = 0n;
  for (const amount of amounts) {
    assertMinor(amount);
    total += BigInt(amount);
  }
  return toAmount(total);
}

/**
 * Lines like "USD 0.50", one amount per currency, as staff write per-currency minimums: the amounts
 * in minor units, and a sentence for each line that does not read.
 */
export function parseCurrencyAmounts(text: string): { amounts: Record<string, number>; errors: string[] } {
  const amounts: Record<string, number> = {};
  const errors: string[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [code = "", amount = "", ...rest] = line.toUpperCase().split(/\s+/);
    if (!isCurrency(code) || rest.length > 0) {
      errors.push(`Write each minimum as a currency and an amount, like USD 0.50 (not "${line}")`);
      continue;
    }
    const minor = parseAmount(amount, code);
    if (minor.error !== null) errors.push(`${line}: ${minor.error}`);
    else amounts[code] = minor.value;
  }
  return { amounts, errors };
}
