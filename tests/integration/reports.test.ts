import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { applyToOffer } from "~/modules/applications/applications.server";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { exportReport } from "~/modules/reports/report-export.server";
import { parseReportQuery, type ReportQuery } from "~/modules/reports/report-query";
import { readReport, readStaffReport, type Report } from "~/modules/reports/reports.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { createTestDatabase } from "../support/database";
import { findPartnership, links } from "../support/factories";
import { createActiveOffer } from "../support/offers";
import { writeTestClicks } from "../support/reports";
import { buildTrackingWorld, type TrackingWorld } from "../support/tracking";
import { insertConversion } from "../support/tracking-rows";

let handle: DatabaseHandle;
let w: TrackingWorld;
let other: TrackingWorld;
let staff: StaffActor;
let euroPartnershipId: string;

// 23:30 UTC on 10 March: still the 10th in New York (18:30), already the 11th in Tokyo (08:30).
const lateEvening = Date.parse("2026-03-10T23:30:00Z");
const noon = Date.parse("2026-03-12T12:00:00Z");

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
  other = await buildTrackingWorld(handle.db);
  staff = await createStaffUser(handle.db, { email: "reports-staff@example.com", password: "correct horse battery staple", name: "Staff" });
  const euro = await createActiveOffer(handle.db, w.merchant.tenant, { visibility: "public", currency: "EUR", title: "Euro offer" });
  await applyToOffer(handle.db, w.publisher.tenant, { offerId: euro.id, message: "", answers: [], acceptTerms: true }, links);
  euroPartnershipId = (await findPartnership(handle.db, euro.id, w.publisher.organization.id)).id;

  await writeTestClicks(handle.db, w.partnership.id, [
    { at: lateEvening, ip: "192.0.2.1", sub1: "newsletter", country: "DE" },
    { at: lateEvening, ip: "192.0.2.2", sub1: "newsletter", country: "DE" },
    { at: noon, ip: "192.0.2.3", country: "FR" },
    { at: noon, ip: "192.0.2.4", bot: true },
  ]);
  await writeTestClicks(handle.db, euroPartnershipId, [{ at: noon, ip: "192.0.2.5", country: "AT" }]);
  // Another merchant's and publisher's activity, which neither of w's reports may count.
  await writeTestClicks(handle.db, other.partnership.id, [
    { at: lateEvening, ip: "198.51.100.1" },
    { at: noon, ip: "198.51.100.2" },
  ]);
  const at = (ms: number) => ({ screenedAt: null, createdAt: new Date(ms), clickedAt: new Date(ms - 60_000) });
  await insertConversion(handle.db, w.partnership.id, { ...at(lateEvening), sub1: "newsletter", commissionMinor: 1_000, feeMinor: 250 });
  await insertConversion(handle.db, euroPartnershipId, { ...at(noon), saleAmountMinor: 5_000, commissionMinor: 400, feeMinor: 100 });
  await insertConversion(handle.db, other.partnership.id, { ...at(noon), commissionMinor: 7_000, feeMinor: 700 });
  await screenConversions(handle.db, new Date());
});
afterAll(() => handle?.close());

function query(viewer: "merchant" | "publisher" | "staff", params: Record<string, string>): ReportQuery {
  const parsed = parseReportQuery(new URLSearchParams(params), viewer);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.query;
}

const march = { preset: "custom", from: "2026-03-01", to: "2026-03-31" };
const currencyOf = (report: Report, currency: string) => report.currencies.find((c) => c.currency === currency);

describe("reports", () => {
  it("count only the merchant's own offers, per currency, never adding currencies", async () => {
    const report = await readReport(handle.db, w.merchant.tenant, query("merchant", { ...march, by: "offer" }));
    expect(report.currencies.map((c) => c.currency)).toEqual(["USD", "EUR"]);
    expect(currencyOf(report, "USD")!.totals).toMatchObject({
      clicks: 4,
      uniqueClicks: 3,
      conversions: 1,
      commissionMinor: 1_000,
      feeMinor: 250,
      merchantCostMinor: 1_250,
      conversionRate: 0.25,
      epcMinor: 250,
    });
    expect(currencyOf(report, "EUR")!.totals).toMatchObject({ clicks: 1, conversions: 1, saleMinor: 5_000, commissionMinor: 400 });
    expect(currencyOf(report, "EUR")!.rows.map((r) => r.label)).toEqual(["Euro offer"]);
    const theirs = await readReport(handle.db, other.merchant.tenant, query("merchant", { ...march, by: "publisher" }));
    expect(theirs.currencies).toHaveLength(1);
    expect(theirs.currencies[0]!.totals).toMatchObject({ clicks: 2, conversions: 1, commissionMinor: 7_000 });
    expect(theirs.currencies[0]!.rows.map((r) => r.label)).toEqual([other.publisher.organization.name]);
  });

  it("shows a publisher its own links only, without the network fee or the merchant's cost", async () => {
    const report = await readReport(handle.db, w.publisher.tenant, query("publisher", { ...march, by: "sub", sort: "conversions" }));
    const usd = currencyOf(report, "USD")!;
    expect(usd.totals).toMatchObject({ clicks: 4, conversions: 1, commissionMinor: 1_000, feeMinor: null, merchantCostMinor: null });
    expect(usd.rows.map((r) => [r.label, r.clicks, r.conversions])).toEqual([
      ["newsletter", 2, 1],
      ["(no sub id)", 2, 0],
    ]);
    const csv = await exportReport(handle.db, w.publisher.tenant, query("publisher", { ...march, by: "sub" }));
    expect(csv.split("\r\n")[0]).not.toContain("Network fee");
    expect(csv).toContain("newsletter,USD,2,2,1,50.00,5.00,100.00,10.00");
  });

  it("reads days in the viewer's time zone", async () => {
    const day = (tz: string) =>
      readReport(handle.db, w.merchant.tenant, query("merchant", { preset: "custom", from: "2026-03-10", to: "2026-03-10", tz }));
    expect(currencyOf(await day("UTC"), "USD")!.totals.clicks).toBe(2);
    expect(currencyOf(await day("America/New_York"), "USD")!.totals.clicks).toBe(2);
    expect((await day("Asia/Tokyo")).currencies).toEqual([]);
    const tokyo = await readReport(handle.db, w.merchant.tenant, query("merchant", { ...march, tz: "Asia/Tokyo", by: "day" }));
    expect(currencyOf(tokyo, "USD")!.rows.map((r) => [r.key, r.clicks])).toEqual([
      ["2026-03-12", 2],
      ["2026-03-11", 2],
    ]);
    expect(tokyo.series).toHaveLength(31);
    expect(tokyo.series.find((d) => d.day === "2026-03-11")).toEqual({ day: "2026-03-11", clicks: 2, conversions: 1 });
  });

  it("gives staff the network's revenue, merchant cost and take rate per merchant and overall, in UTC days", async () => {
    const report = await readStaffReport(handle.db, staff, query("staff", { ...march, by: "merchant", tz: "Asia/Tokyo" }));
    expect(report.query.timeZone).toBe("UTC");
    const usd = currencyOf(report, "USD")!;
    const mine = usd.rows.find((r) => r.key === w.merchant.organization.id)!;
    expect(mine).toMatchObject({ feeMinor: 250, merchantCostMinor: 1_250, takeRate: 0.2 });
    expect(usd.rows.find((r) => r.key === other.merchant.organization.id)).toMatchObject({ feeMinor: 700, merchantCostMinor: 7_700 });
    expect(usd.totals.feeMinor).toBeGreaterThanOrEqual(950);
    expect(usd.totals.takeRate).toBeCloseTo(usd.totals.feeMinor! / usd.totals.merchantCostMinor!, 10);
    expect(report.top?.rows[0]).toMatchObject({ key: other.merchant.organization.id, amountMinor: 700 });
  });

  it("sorts a table by the column asked for", async () => {
    const report = await readStaffReport(handle.db, staff, query("staff", { ...march, by: "merchant", sort: "fee", dir: "asc" }));
    const fees = currencyOf(report, "USD")!.rows.map((r) => r.feeMinor!);
    expect(fees).toEqual([...fees].sort((a, b) => a - b));
    expect(fees.length).toBeGreaterThanOrEqual(2);
  });
});
