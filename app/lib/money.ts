/** ISO 4217 codes this runtime knows, with their minor-unit digits from Intl. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf("currency");

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const DECIMAL = /^(\d{1,12})(?:\.(\d+))?$/;

/**
 * "12.5" in USD → 1250. Exact string arithmetic, no floats; null when the text is not a plain
 * non-negative decimal or has more decimals than the currency has.
 */
export function parseAmount(text: string, currency: string): number | null {
  const match = DECIMAL.exec(text.trim().replace(/,/g, ""));
  if (!match) return null;
  const digits = currencyDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** "7.25" (percent) → 725 basis points; null past two decimals or outside 0–100 %. */
export function parsePercent(text: string): number | null {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2]?.length ?? 0) > 2) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return bps <= 10_000 ? bps : null;
}

export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** For showing a stored amount back in a form field. */
export function amountToText(minor: number | null, currency: string): string {
  if (minor === null) return "";
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function bpsToText(bps: number | null): string {
  if (bps === null) return "";
  return `${Math.trunc(bps / 100)}${
    bps % 100
      ? `.${String(bps % 100)
          .padStart(2, "0")
          .replace(/0$/, "")}`
      : ""
  }`;
}

export function formatBps(bps: number): string {
  return `${bpsToText(bps)}%`;
}
