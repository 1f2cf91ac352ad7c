import { z } from "zod";

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  return typeof value === "object" && Object.values(value).every(isBlank);
}

/** The item schema of each list() schema, so a rejected submission can be given back in the form's shape. */
const listItems = new WeakMap<z.ZodType, { item: z.ZodType; max: number }>();

/** A repeated form field: one value or many, with the rows a person left empty dropped. */
export const list = <T extends z.ZodType>(item: T, size: { min?: number; tooFew?: string; max: number; tooMany: string }) => {
  const schema = z.preprocess(
    (v) => (Array.isArray(v) ? v : [v]).filter((entry) => !isBlank(entry)),
    z
      .array(item)
      .min(size.min ?? 0, size.tooFew)
      .max(size.max, size.tooMany),
  );
  listItems.set(schema, { item, max: size.max });
  return schema;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Submitted values in the shape the schema's form renders, for refilling it after a rejection: only
 * the fields the schema reads (another form on the page shares the reply), a list sent as one value
 * as a list of it, a list sent as anything else as an empty one, a list cut at its maximum. A page iterating a list field would
 * otherwise fail on text (`websites=x` instead of `websites[0]=x`).
 */
export function shapedLikeForm(schema: z.ZodType, value: unknown): unknown {
  const list = listItems.get(schema);
  if (list) {
    const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
    // No more rows than the form may have: `terms[9999]` must not refill a form of 10,000 rows.
    return items.slice(0, list.max).map((entry) => shapedLikeForm(list.item, entry));
  }
  const def = schema._zod.def;
  if ("innerType" in def) return shapedLikeForm(def.innerType as z.ZodType, value);
  if (def.type === "pipe") return shapedLikeForm((def as z.core.$ZodPipeDef).in as z.ZodType, value);
  if (def.type !== "object" || !isRecord(value)) return value;
  const shape = (def as z.core.$ZodObjectDef).shape;
  return Object.fromEntries(
    Object.entries(shape).flatMap(([name, field]) => (name in value ? [[name, shapedLikeForm(field as z.ZodType, value[name])]] : [])),
  );
}

/** A textarea of one value per line, blank lines dropped. */
export const lines = <T extends z.ZodType>(item: T, size: { max: number; tooMany: string }) =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean)
        : [],
    z.array(item).max(size.max, size.tooMany),
  );

export const httpsUrl = (label: string) =>
  z
    .string({ error: `${label} must be a full https:// address` })
    .trim()
    .max(2048, `${label} is too long`)
    .pipe(z.url({ protocol: /^https$/, error: `${label} must be a full https:// address` }));

/** A rate or amount as typed, read later by parseAmount / parsePercent; blank is allowed. */
export const rateText = (what: string) =>
  z
    .string({ error: `Enter the ${what} as digits` })
    .max(40, `Enter the ${what} as a short number`)
    .optional();
