import type { z } from "zod";

type ReadFilters<F extends Record<string, z.ZodType>> = { [K in keyof F]?: z.output<F[K]> };

/**
 * A list page's query string: the filters that read, and a sentence for each that does not (shown
 * above the list instead of an error page). On a paged list a bad cursor (the field `paging.cursor`)
 * is dropped with `paging.staleCursor`, so the list starts again from its first page.
 */
export function readQueryFilters<F extends Record<string, z.ZodType>>(
  fields: F,
  params: URLSearchParams,
  paging?: { cursor: keyof F & string; staleCursor: string },
) {
  const filter: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [name, schema] of Object.entries(fields)) {
    const value = params.get(name);
    if (value === null || value.trim() === "") continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) filter[name] = parsed.data;
    else errors.push(name === paging?.cursor ? paging.staleCursor : parsed.error.issues[0]!.message);
  }
  return { filter: filter as ReadFilters<F>, errors };
}
