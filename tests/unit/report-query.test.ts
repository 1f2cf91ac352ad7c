import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv } from "~/lib/csv";
import { parseReportQuery, presetRange } from "~/modules/reports/report-query";

const parse = (query: string, viewer: "merchant" | "publisher" | "staff" = "merchant", browserZone?: string) =>
  parseReportQuery(new URLSearchParams(query), viewer, { browserZone, now: new Date("2026-01-01T03:00:00Z") });

describe("report query", () => {
  it("reads presets on the viewer's calendar: at 03:00 UTC on 1 January it is still 31 December in New York", () => {
    expect(parse("preset=today&tz=America/New_York")).toMatchObject({ query: { from: "2025-12-31", to: "2025-12-31" } });
    expect(parse("preset=today")).toMatchObject({ query: { from: "2026-01-01", to: "2026-01-01", timeZone: "UTC" } });
    expect(parse("preset=last_month", "merchant", "Asia/Tokyo")).toMatchObject({
      query: { from: "2025-12-01", to: "2025-12-31", timeZone: "Asia/Tokyo" },
    });
    expect(presetRange("7d", "2026-03-02")).toEqual({ from: "2026-02-24", to: "2026-03-02" });
    expect(presetRange("30d", "2026-03-02")).toEqual({ from: "2026-02-01", to: "2026-03-02" });
    expect(presetRange("this_month", "2024-02-29")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(presetRange("last_month", "2024-03-15")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
  });

  it("keeps staff in UTC and ignores a zone the browser made up", () => {
    expect(parse("preset=today&tz=Asia/Tokyo", "staff")).toMatchObject({ query: { timeZone: "UTC" } });
    expect(parse("preset=today", "merchant", "Mars/Olympus")).toMatchObject({ query: { timeZone: "UTC" } });
  });

  it("answers bad input with a sentence", () => {
    expect(parse("tz=Mars/Olympus")).toEqual({ error: "That is not a time zone this server knows" });
    expect(parse("preset=custom&from=2026-02-30&to=2026-03-01")).toEqual({ error: "That date does not exist" });
    expect(parse("preset=custom&from=[]&to=2026-03-01")).toEqual({ error: "Enter a date as YYYY-MM-DD" });
    expect(parse("preset=custom&from=2026-03-01")).toEqual({ error: "Choose both the first and the last day of the range." });
    expect(parse("preset=custom&from=2026-03-02&to=2026-03-01")).toEqual({ error: "The first day must not be after the last." });
    expect(parse("preset=custom&from=2024-01-01&to=2026-01-01")).toEqual({ error: "Choose at most 400 days." });
    expect(parse("preset=forever")).toEqual({ error: "Choose a range from the list" });
    expect(parse("by=sub")).toEqual({ error: "Break the report down by day, offer, publisher, country." });
    expect(parse("by=merchant", "staff")).toMatchObject({ query: { by: "merchant", sort: "clicks", dir: "desc" } });
  });
});

describe("formatCsv", () => {
  it("writes what parseCsv reads back, and defuses formulas", () => {
    const records = [
      ["Offer", "Clicks"],
      ['Shoes, "trail"', 12],
      ["=HYPERLINK(1)", -5],
      ["-3", "line\nbreak"],
    ];
    const parsed = parseCsv(formatCsv(records));
    expect("records" in parsed && parsed.records.map((r) => r.fields)).toEqual([
      ["Offer", "Clicks"],
      ['Shoes, "trail"', "12"],
      ["'=HYPERLINK(1)", "-5"],
      ["-3", "line\nbreak"],
    ]);
  });
});
