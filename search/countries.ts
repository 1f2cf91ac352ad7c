import { COUNTRY_CODES } from "~/lib/countries";

/**
 * Where an offer runs, in few tokens: the codes it is limited to, or "*" (everywhere) with "!XX"
 * for each excluded country. Listing all 249 codes for a worldwide offer would make every country
 * facet count scan hundreds of values per offer.
 */
export function countryTokens(mode: "all" | "include" | "exclude", countries: string[]): string[] {
  if (mode === "include") return countries;
  return ["*", ...(mode === "exclude" ? countries.map((c) => `!${c}`) : [])];
}

/** Token counts → offers available per country: its own count + worldwide − excluded. */
export function countryCounts(tokenCounts: Record<string, number>): Record<string, number> {
  const worldwide = tokenCounts["*"] ?? 0;
  const counts: Record<string, number> = {};
  for (const code of COUNTRY_CODES) {
    const n = (tokenCounts[code] ?? 0) + worldwide - (tokenCounts[`!${code}`] ?? 0);
    if (n > 0) counts[code] = n;
  }
  return counts;
}
