/**
 * A count for people: thousands grouped ("70,172"); an estimate rounded to three significant digits
 * ("12,300"), since its last digits mean nothing. Built by hand so server and browser agree.
 */
export function formatCount(n: number, estimated = false): string {
  return String(estimated ? Number(n.toPrecision(3)) : n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
