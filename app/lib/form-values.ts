import { z } from "zod";

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  return typeof value === "object" && Object.values(value).every(isBlank);
}

/** A repeated form field: one value or many, with the rows a person left empty dropped. */
export const list = <T extends z.ZodType>(item: T, size: { min?: number; tooFew?: string; max: number; tooMany: string }) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? v : [v]).filter((entry) => !isBlank(entry)),
    z
      .array(item)
      .min(size.min ?? 0, size.tooFew)
      .max(size.max, size.tooMany),
  );

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
