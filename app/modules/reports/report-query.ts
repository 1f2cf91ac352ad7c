import { z } from "zod";
import { DAY_MS } from "~/lib/time";

/** The longest range a report reads: a year and a month, so "last 365 days" across a leap day still fits. */
const MAX_REPORT_DAYS = 400;

export const REPORT_PRESETS = ["today", "7d", "30d", "this_month", "last_month", "custom"] as const;
type ReportPreset = (typeof REPORT_PRESETS)[number];

/** What a table is broken down by; which a viewer may use is REPORT_BREAKDOWNS[viewer]. */
export const REPORT_BREAKDOWNS = {
  merchant: ["day", "offer", "publisher", "country"],
  publisher: ["day", "offer", "sub", "country"],
  staff: ["day", "merchant", "offer", "publisher"],
} as const;
export type ReportViewer = keyof typeof REPORT_BREAKDOWNS;
export type ReportBreakdown = (typeof REPORT_BREAKDOWNS)[ReportViewer][number];

/** Columns a table sorts by: the row's name or a measure. */
export const REPORT_SORTS = [
  "key",
  "clicks",
  "uniqueClicks",
  "conversions",
  "conversionRate",
  "epc",
  "sale",
  "commission",
  "fee",
  "merchantCost",
  "takeRate",
] as const;
export type ReportSort = (typeof REPORT_SORTS)[number];

/** An IANA time zone name this runtime knows (Intl throws a RangeError for any other). */
function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const isoDay = z
  .string()
  .max(10, "Enter a date as YYYY-MM-DD")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD")
  // Zod runs the refinement even after the pattern failed, so an unparsable text must not throw here.
  .refine((day) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day;
  }, "That date does not exist");

const querySchema = z.object({
  preset: z.enum(REPORT_PRESETS, { message: "Choose a range from the list" }).default("30d"),
  from: isoDay.optional(),
  to: isoDay.optional(),
  by: z.string().max(20).default("day"),
  sort: z.enum(REPORT_SORTS, { message: "Sort by one of the table's columns" }).optional(),
  dir: z.enum(["asc", "desc"], { message: "Sort up or down" }).optional(),
  tz: z.string().max(64, "That is not a time zone").refine(isTimeZone, "That is not a time zone this server knows").optional(),
});

/** A report request, checked: an inclusive range of days in `timeZone`, a breakdown the viewer has, a sort. */
export type ReportQuery = {
  preset: ReportPreset;
  from: string;
  to: string;
  timeZone: string;
  by: ReportBreakdown;
  sort: ReportSort;
  dir: "asc" | "desc";
};

/** Today's date (YYYY-MM-DD) in a time zone. */
export function dayIn(timeZone: string, at: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The first and last day of a preset, on the calendar of `today`. */
export function presetRange(preset: Exclude<ReportPreset, "custom">, today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 8)}01`;
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "this_month":
      return { from: monthStart, to: today };
    case "last_month": {
      const lastDay = addDays(monthStart, -1);
      return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
    }
  }
}

/**
 * Reads a report's query string: range (a preset, or from and to with preset=custom), breakdown,
 * sort and time zone. The zone is `tz` in the query, else the one the browser told (`browserZone`),
 * else UTC; staff reports are always in UTC days. A bad value is a sentence, never a throw.
 */
export function parseReportQuery(
  params: URLSearchParams,
  viewer: ReportViewer,
  options: { browserZone?: string | null; now?: Date } = {},
): { query: ReportQuery } | { error: string } {
  const raw = Object.fromEntries(
    [...querySchema.keyof().options].flatMap((k) => (params.get(k)?.trim() ? [[k, params.get(k)!.trim()]] : [])),
  );
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) return { error: parsed.error.issues[0]!.message };
  const input = parsed.data;
  const breakdowns: readonly string[] = REPORT_BREAKDOWNS[viewer];
  if (!breakdowns.includes(input.by)) return { error: `Break the report down by ${breakdowns.join(", ")}.` };
  const browserZone = options.browserZone && isTimeZone(options.browserZone) ? options.browserZone : null;
  const timeZone = viewer === "staff" ? "UTC" : (input.tz ?? browserZone ?? "UTC");
  let range: { from: string; to: string };
  if (input.preset === "custom") {
    if (!input.from || !input.to) return { error: "Choose both the first and the last day of the range." };
    if (input.from > input.to) return { error: "The first day must not be after the last." };
    if (daysBetween(input.from, input.to) > MAX_REPORT_DAYS) return { error: `Choose at most ${MAX_REPORT_DAYS} days.` };
    range = { from: input.from, to: input.to };
  } else {
    range = presetRange(input.preset, dayIn(timeZone, options.now ?? new Date()));
  }
  const sort = input.sort ?? (input.by === "day" ? "key" : "clicks");
  const dir = input.dir ?? (sort === "key" && input.by !== "day" ? "asc" : "desc");
  return { query: { preset: input.preset, ...range, timeZone, by: input.by as ReportBreakdown, sort, dir } };
}
