/** One value of a marketplace facet as the page shows it. */
export type FacetOption = { value: string; label: string; count: number; active: boolean };

/**
 * Most offers first, then by name; a plain comparison rather than localeCompare, so the server
 * and the browser order the same way (ICU differs between them and would break hydration).
 */
export function orderFacetOptions<T extends FacetOption>(options: T[]): T[] {
  return [...options].sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The options shown before "show all": the first `shown`, plus any chosen one further down. */
export function splitFacetOptions<T extends FacetOption>(ordered: T[], shown: number): { top: T[]; rest: T[] } {
  const top = ordered.filter((o, i) => i < shown || o.active);
  return { top, rest: ordered.filter((o) => !top.includes(o)) };
}

/** Options whose name contains the typed text, ignoring case and accents ("cote" finds Côte d'Ivoire). */
export function filterFacetOptions<T extends FacetOption>(options: T[], text: string): T[] {
  const fold = (s: string) =>
    s
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLowerCase();
  const wanted = fold(text.trim());
  return wanted ? options.filter((o) => fold(o.label).includes(wanted)) : options;
}
