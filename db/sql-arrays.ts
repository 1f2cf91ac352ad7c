import { sql } from "drizzle-orm";

/**
 * A text[] parameter both drivers bind the same way: one JSON string, unpacked by the database.
 * Cast it for other element types: `id = any(${sqlTextArray(ids)}::uuid[])`.
 */
export function sqlTextArray(values: readonly (string | number)[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values.map(String))}::jsonb))`;
}
