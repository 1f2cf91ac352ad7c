import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { invoices, payouts } from "#db/schema";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { issueInvoicesNow } from "~/modules/invoices/issuing.server";
import { recordInvoicePayment } from "~/modules/invoices/settlement.server";
import { checkLedger } from "~/modules/ledger/check.server";
import { amountToText, sumMoney } from "~/lib/money";
import { runPayouts } from "~/modules/payouts/run.server";
import { payoutSettingsSchema } from "~/modules/payouts/schemas";
import { savePayoutSettings } from "~/modules/payouts/settings.server";
import { markPayoutPaid } from "~/modules/payouts/settle.server";
import { parseReportQuery } from "~/modules/reports/report-query";
import { readReport, readStaffReport } from "~/modules/reports/reports.server";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "#tests/support/database";
import { links } from "#tests/support/factories";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";
import { insertConversion } from "#tests/support/tracking-rows";

/*
 * A month end on generated data: conversions screened, approved, rejected and reversed; invoices
 * issued and paid; a payout run paid. The invoices, the payouts, the ledger and the reports must
 * agree to the cent, and the ledger check must find nothing.
 */

let handle: DatabaseHandle;
let staff: StaffActor;
const worlds: TrackingWorld[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await createStaffUser(handle.db, { email: "month-end@network.example", password: "month end pass 1", name: "Staff" });
  for (let i = 0; i < 3; i++) worlds.push(await buildTrackingWorld(handle.db));
}, 60_000);
afterAll(() => handle?.close());

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Generated = { id: string; commission: number; fee: number; cost: number; fate: "approved" | "rejected" | "reversed" };

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

async function generate(world: TrackingWorld, next: () => number, count: number): Promise<Generated[]> {
  const made: Generated[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const commission = 500 + Math.floor(next() * 20_000);
    const fee = Math.floor(next() * 3_000);
    const roll = next();
    const fate = roll < 0.15 ? "rejected" : roll < 0.35 ? "reversed" : "approved";
    // An hour after its click, from its own address and a browser: nothing for fraud screening to hold.
    const row = await insertConversion(handle.db, world.partnership.id, {
      orderId: `month-end-${randomUUID()}`,
      commissionMinor: commission,
      feeMinor: fee,
      merchantCostMinor: commission + fee,
      saleAmountMinor: commission * 10,
      createdAt: new Date(now),
      clickedAt: new Date(now - 3_600_000),
      clickIpHmac: `ip-${randomUUID()}`,
      clickUserAgent: BROWSER,
      clickFound: true,
      screenedAt: null,
    });
    made.push({ id: row.id, commission, fee, cost: commission + fee, fate });
  }
  return made;
}

const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function reportQuery(viewer: "merchant" | "publisher" | "staff") {
  const parsed = parseReportQuery(new URLSearchParams({ preset: "custom", from: dayOffset(-1), to: dayOffset(1), tz: "UTC" }), viewer);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.query;
}

async function balance(kind: string, organizationId: string | null) {
  const [row] = await selectRows<{ balance: string }>(
    handle.db,
    sql`select coalesce(sum(balance_minor), 0)::text as balance from ledger_accounts
      where kind = ${kind}::ledger_account_kind and organization_id is not distinct from ${organizationId}::uuid and currency = 'USD'`,
  );
  return Number(row!.balance);
}

describe("a month end", () => {
  it("bills, collects and pays out exactly what was earned: invoices, payouts, ledger and reports agree to the cent", async () => {
    const next = random(20261122);
    const generated = new Map<TrackingWorld, Generated[]>();
    for (const world of worlds) generated.set(world, await generate(world, next, 40));
    expect((await screenConversions(handle.db, new Date())).held).toBe(0);

    for (const [world, rows] of generated) {
      await approveConversions(
        handle.db,
        world.merchant.tenant,
        rows.filter((r) => r.fate !== "rejected").map((r) => r.id),
      );
      await rejectConversions(
        handle.db,
        world.merchant.tenant,
        rows.filter((r) => r.fate === "rejected").map((r) => r.id),
        "invalid",
        null,
      );
      const reversed = rows.filter((r) => r.fate === "reversed").map((r) => r.id);
      await handle.db.transaction((tx) =>
        changeConversions(tx, sql`true`, { kind: "staff", userId: staff.id, label: staff.email }, reversed, {
          action: "reverse",
          reason: "returned",
          note: null,
        }),
      );
    }

    const earned = (rows: Generated[], pick: (r: Generated) => number) => sumMoney(rows.filter((r) => r.fate === "approved").map(pick));
    let fees = 0;
    let collected = 0;
    for (const [world, rows] of generated) {
      const { issued } = await issueInvoicesNow(handle.db, staff, world.merchant.organization.id, new Date(Date.now() + 1_000), links);
      expect(issued).toHaveLength(1);
      const [invoice] = await handle.db.select().from(invoices).where(eq(invoices.id, issued[0]!.id));
      if (!invoice) throw new Error("The issued invoice is not there.");
      // The invoice: approvals net of reversals, which is exactly what the approved conversions cost.
      expect(invoice.totalMinor).toBe(earned(rows, (r) => r.cost));
      expect(invoice.commissionMinor).toBe(earned(rows, (r) => r.commission));
      expect(invoice.feeMinor).toBe(earned(rows, (r) => r.fee));
      // The ledger's receivable holds what the invoice bills, until it is paid.
      expect(await balance("merchant_receivable", world.merchant.organization.id)).toBe(invoice.totalMinor);
      // The merchant's report of the same days shows the same money.
      const [usd] = (await readReport(handle.db, world.merchant.tenant, reportQuery("merchant"))).currencies;
      expect(usd!.totals).toMatchObject({
        conversions: rows.filter((r) => r.fate === "approved").length,
        commissionMinor: invoice.commissionMinor,
        feeMinor: invoice.feeMinor,
        merchantCostMinor: invoice.totalMinor,
      });
      // Paid in two parts: the first leaves the rest open.
      const first = Math.floor(invoice.totalMinor / 3);
      for (const part of [first, invoice.totalMinor - first]) {
        await recordInvoicePayment(
          handle.db,
          staff,
          invoice.id,
          { amount: amountToText(part, "USD"), receivedOn: dayOffset(0), reference: `WIRE-${part}` },
          links,
        );
      }
      expect(await balance("merchant_receivable", world.merchant.organization.id)).toBe(0);
      fees += invoice.feeMinor;
      collected += invoice.totalMinor;

      await savePayoutSettings(
        handle.db,
        world.publisher.tenant,
        payoutSettingsSchema.parse({ method: "bank_transfer", accountHolder: "Publisher", iban: "DE89370400440532013000", thresholds: {} }),
      );
    }

    const run = await runPayouts(handle.db, staff);
    expect(run.payouts).toBe(worlds.length);
    let paidOut = 0;
    for (const [world, rows] of generated) {
      const [payout] = await handle.db.select().from(payouts).where(eq(payouts.publisherId, world.publisher.organization.id));
      // The payout: the commission of what was approved and not reversed, which the publisher's report shows.
      expect(payout!.amountMinor).toBe(earned(rows, (r) => r.commission));
      const [usd] = (await readReport(handle.db, world.publisher.tenant, reportQuery("publisher"))).currencies;
      expect(usd!.totals.commissionMinor).toBe(payout!.amountMinor);
      expect(await balance("publisher_payable", world.publisher.organization.id)).toBe(-payout!.amountMinor);
      await markPayoutPaid(handle.db, staff, { payoutId: payout!.id, reference: `PAY-${payout!.id.slice(0, 8)}` }, links);
      expect(await balance("publisher_payable", world.publisher.organization.id)).toBe(0);
      paidOut += payout!.amountMinor;
    }

    // The network keeps its fees: revenue, the cash left after payouts, and the staff report agree.
    expect(await balance("network_revenue", null)).toBe(-fees);
    expect(await balance("cash", null)).toBe(collected - paidOut);
    expect(collected - paidOut).toBe(fees);
    const [staffUsd] = (await readStaffReport(handle.db, staff, reportQuery("staff"))).currencies;
    expect(staffUsd!.totals).toMatchObject({ feeMinor: fees, merchantCostMinor: collected, commissionMinor: paidOut });

    const ledger = await checkLedger(handle.db);
    expect(ledger.differences).toEqual([]);
    expect(ledger.ok).toBe(true);
  });
});
