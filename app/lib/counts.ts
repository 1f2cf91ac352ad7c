/**
 * A count for people: thousands grouped ("70,172"); an estimate rounded to three significant digits
 * ("12,300"), since its last digits mean nothing. Built by hand so server and browser agree.
 */
export function formatCount(n: number, estimated = false): string {
  return String(estimated ? Number(n.toPrecision(3)) : n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A rate (0.1234) as a percentage with two decimals ("12.34"), the "%" left to the caller (a CSV cell has none). */
export function percentText(rate: number): string {
  return (rate * 100).toFixed(2);
}
