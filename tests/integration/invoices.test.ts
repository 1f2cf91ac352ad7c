import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { saveBillingSettings } from "~/modules/invoices/billing-settings.server";
import { issueInvoicesNow, issueMerchantInvoices, issueMonthlyInvoices, previousMonth } from "~/modules/invoices/issuing.server";
import { invoicesFor, listInvoicesForStaff } from "~/modules/invoices/invoice-data.server";
import { merchantInvoiceCsv } from "~/modules/invoices/invoice-csv.server";
import { merchantInvoicePdf } from "~/modules/invoices/invoice-pdf.server";
import { notifyOverdueInvoices } from "~/modules/invoices/overdue.server";
import { recordInvoicePayment, voidInvoice } from "~/modules/invoices/settlement.server";
import { checkLedger } from "~/modules/ledger/check.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "#tests/support/database";
import { emailsTo, links } from "#tests/support/factories";
import { insertConversion } from "#tests/support/tracking-rows";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";

let handle: DatabaseHandle;
let staff: StaffActor;

beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await createStaffUser(handle.db, { email: "billing@network.example", password: "billing passphrase 1", name: "Billing" });
});
afterAll(() => handle?.close());

const job = { kind: "job", label: "test" } as const;
const soon = () => new Date(Date.now() + 1_000);

/** Approves new conversions of the world's partnership with these merchant costs (commission 80 %, fee the rest). */
async function approve(w: TrackingWorld, costs: number[]) {
  const ids: string[] = [];
  for (const cost of costs) {
    const commission = Math.floor(cost * 0.8);
    const c = await insertConversion(handle.db, w.partnership.id, { commissionMinor: commission, feeMinor: cost - commission });
    ids.push(c.id);
  }
  await handle.db.transaction((tx) => changeConversions(tx, sql`true`, job, ids, { action: "approve" }));
  return ids;
}

async function reverse(ids: string[]) {
  await handle.db.transaction((tx) => changeConversions(tx, sql`true`, job, ids, { action: "reverse", reason: "returned", note: null }));
}

const issueNow = (w: TrackingWorld) => issueInvoicesNow(handle.db, staff, w.merchant.organization.id, soon(), links);

async function ledgerNet(merchantId: string) {
  const [row] = await selectRows<{ net: string }>(
    handle.db,
    sql`select coalesce(sum(case when p.kind = 'conversion_reversal' then -c.merchant_cost_minor else c.merchant_cost_minor end), 0)::text as net
      from ledger_postings p join conversions c on c.id = p.conversion_id
      where c.merchant_id = ${merchantId} and p.kind in ('conversion_approval', 'conversion_reversal')`,
  );
  return Number(row!.net);
}

describe("issuing", () => {
  it("bills the ledger's approvals minus reversals to the cent, with lines per offer", async () => {
    const w = await buildTrackingWorld(handle.db);
    // Generated amounts: a spread of costs, some of them reversed.
    const costs = Array.from({ length: 60 }, (_, i) => 101 + ((i * 7919) % 50_000));
    const ids = await approve(w, costs);
    await reverse(ids.filter((_, i) => i % 7 === 0));
    const { issued, carriedForward } = await issueNow(w);
    expect(carriedForward).toEqual([]);
    expect(issued).toHaveLength(1);
    const invoice = await invoicesFor(handle.db, w.merchant.tenant).get(issued[0]!.id);
    const expected = await ledgerNet(w.merchant.organization.id);
    expect(expected).toBe(costs.filter((_, i) => i % 7 !== 0).reduce((a, b) => a + b, 0));
    expect(invoice.invoice.totalMinor).toBe(expected);
    expect(invoice.invoice.commissionMinor + invoice.invoice.feeMinor).toBe(expected);
    expect(invoice.lines).toHaveLength(1);
    expect(invoice.lines[0]).toMatchObject({ approvals: 60, reversals: 9, totalMinor: expected, offerName: w.offer.title });
    expect(invoice.openMinor).toBe(expected);
    // Everything is billed: issuing again finds nothing.
    expect((await issueNow(w)).issued).toEqual([]);
    expect((await emailsTo(handle.db, w.merchant.owner.user.email)).map((e) => e.template)).toContain("invoice_issued");
  });

  it("numbers without gaps under concurrent issues and bills nothing twice", async () => {
    const worlds = [await buildTrackingWorld(handle.db), await buildTrackingWorld(handle.db), await buildTrackingWorld(handle.db)];
    for (const w of worlds) await approve(w, [1_000, 2_000]);
    // Each merchant issued four times at once, all twelve in parallel.
    const outcomes = await Promise.all(worlds.flatMap((w) => [issueNow(w), issueNow(w), issueNow(w), issueNow(w)]));
    expect(outcomes.flatMap((o) => o.issued)).toHaveLength(3);
    const [billed] = await selectRows<{ postings: number; items: number }>(
      handle.db,
      sql`select count(distinct posting_id)::int as postings, count(*)::int as items from invoice_items`,
    );
    expect(billed!.items).toBe(billed!.postings);
    const numbers = await selectRows<{ number: number }>(handle.db, sql`select number from invoices order by number`);
    expect(numbers.map((n) => n.number)).toEqual(numbers.map((_, i) => i + 1));
  });

  it("frees a rolled-back issue's number", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [500]);
    const [before] = await selectRows<{ last: number }>(handle.db, sql`select last_number as last from invoice_sequence`);
    await expect(
      handle.db.transaction(async (tx) => {
        await issueMerchantInvoices(tx, {
          merchantId: w.merchant.organization.id,
          periodStart: null,
          periodEnd: soon(),
          issuedAt: new Date(),
          issuedBy: null,
          links,
        });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const { issued } = await issueNow(w);
    expect(issued[0]!.number).toBe(before!.last + 1);
  });

  it("carries a net of zero or less forward and nets it into the next invoice", async () => {
    const w = await buildTrackingWorld(handle.db);
    const [first] = await approve(w, [3_000]);
    expect((await issueNow(w)).issued).toHaveLength(1);
    await reverse([first!]);
    expect(await issueNow(w)).toEqual({ issued: [], carriedForward: ["USD"] });
    await approve(w, [5_000]);
    const { issued } = await issueNow(w);
    expect(issued[0]!.totalMinor).toBe(2_000);
  });

  it("issues last month's invoices on the monthly run", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [700]);
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 0, 5));
    expect(previousMonth(nextMonth).end.getTime()).toBe(Date.UTC(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth(), 1));
    const run = await issueMonthlyInvoices(handle.db, nextMonth, links);
    expect(run.issued).toBeGreaterThanOrEqual(1);
    const page = await invoicesFor(handle.db, w.merchant.tenant).list({}, null);
    expect(page.rows[0]!.invoice).toMatchObject({ totalMinor: 700, periodEnd: previousMonth(nextMonth).end, issuedByUserId: null });
    expect((await issueMonthlyInvoices(handle.db, nextMonth, links)).issued).toBe(0);
  });
});

describe("billing settings", () => {
  it("sets the due date of the next invoice, audited", async () => {
    await saveBillingSettings(handle.db, staff, { invoiceDueDays: 14, payoutMinimums: { USD: 2_500 }, payoutsRequirePaidInvoice: false });
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [800]);
    const { id } = (await issueNow(w)).issued[0]!;
    const { invoice } = await invoicesFor(handle.db, w.merchant.tenant).get(id);
    expect(invoice.dueAt.getTime() - invoice.issuedAt.getTime()).toBe(14 * 86_400_000);
    const audit = await selectRows<{ after: { invoiceDueDays: number } }>(
      handle.db,
      sql`select after from audit_log where action = 'billing.settings'`,
    );
    expect(audit.map((a) => a.after.invoiceDueDays)).toEqual([14]);
    await saveBillingSettings(handle.db, staff, { invoiceDueDays: 30, payoutMinimums: {}, payoutsRequirePaidInvoice: true });
  });
});

describe("payments and void", () => {
  it("takes partial payments, then is paid; books each in the ledger", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [10_000]);
    const { issued } = await issueNow(w);
    const id = issued[0]!.id;
    await recordInvoicePayment(handle.db, staff, id, { amount: "40.00", receivedOn: "2026-11-01", reference: "WIRE-1" }, links);
    await expect(
      recordInvoicePayment(handle.db, staff, id, { amount: "60.01", receivedOn: "2026-11-02", reference: "WIRE-2" }, links),
    ).rejects.toThrow(/Only \$60\.00 is open/);
    const outcome = await recordInvoicePayment(
      handle.db,
      staff,
      id,
      { amount: "60", receivedOn: "2026-11-02", reference: "WIRE-2" },
      links,
    );
    expect(outcome).toMatchObject({ paid: true, paidMinor: 10_000 });
    const invoice = await invoicesFor(handle.db, w.merchant.tenant).get(id);
    expect(invoice.invoice.status).toBe("paid");
    expect(invoice.invoice.paidAt).not.toBeNull();
    expect(invoice.openMinor).toBe(0);
    expect(invoice.payments.map((p) => p.amountMinor)).toEqual([4_000, 6_000]);
    await expect(
      recordInvoicePayment(handle.db, staff, id, { amount: "1", receivedOn: "2026-11-03", reference: "X" }, links),
    ).rejects.toThrow(/is paid/);
    const [receivable] = await selectRows<{ balance: string }>(
      handle.db,
      sql`select balance_minor::text as balance from ledger_accounts where kind = 'merchant_receivable' and organization_id = ${w.merchant.organization.id}`,
    );
    expect(receivable!.balance).toBe("0");
    const report = await checkLedger(handle.db);
    expect(report.differences).toEqual([]);
    expect(report.checks.find((c) => c.name === "payments")!.checked).toBeGreaterThan(0);
    const templates = (await emailsTo(handle.db, w.merchant.owner.user.email)).map((e) => e.template);
    expect(templates.filter((t) => t === "invoice_payment")).toHaveLength(2);
  });

  it("voids an unpaid invoice and bills its postings on the next one", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [1_234, 4_321]);
    const first = (await issueNow(w)).issued[0]!;
    await voidInvoice(handle.db, staff, first.id, "Wrong period", links);
    await expect(voidInvoice(handle.db, staff, first.id, "Again", links)).rejects.toThrow(/already void/);
    const second = (await issueNow(w)).issued[0]!;
    expect(second.totalMinor).toBe(5_555);
    expect(second.number).toBeGreaterThan(first.number);
    const audit = await selectRows<{ action: string }>(handle.db, sql`select action from audit_log where target_id = ${first.id}`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["invoice.issue", "invoice.void"]));
  });

  it("refuses to void an invoice with a payment", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [2_000]);
    const { id } = (await issueNow(w)).issued[0]!;
    await recordInvoicePayment(handle.db, staff, id, { amount: "5", receivedOn: "2026-11-01", reference: "PART" }, links);
    await expect(voidInvoice(handle.db, staff, id, "Changed my mind", links)).rejects.toThrow(/cannot be voided/);
  });
});

describe("overdue", () => {
  it("emails the merchant's owners once and flags the invoice", async () => {
    const w = await buildTrackingWorld(handle.db);
    await approve(w, [900]);
    const { id } = (await issueNow(w)).issued[0]!;
    const late = new Date(Date.now() + 31 * 86_400_000);
    expect(
      (await listInvoicesForStaff(handle.db, staff, { overdue: true, merchantId: w.merchant.organization.id }, null, late)).rows,
    ).toHaveLength(1);
    const first = await notifyOverdueInvoices(handle.db, late, links);
    expect(first.notified).toBeGreaterThanOrEqual(1);
    await notifyOverdueInvoices(handle.db, late, links);
    const overdue = (await emailsTo(handle.db, w.merchant.owner.user.email)).filter((e) => e.template === "invoice_overdue");
    expect(overdue).toHaveLength(1);
    expect((await invoicesFor(handle.db, w.merchant.tenant).get(id)).invoice.overdueNotifiedAt).not.toBeNull();
  });
});

describe("isolation", () => {
  it("hides another merchant's invoice and refuses publishers", async () => {
    const a = await buildTrackingWorld(handle.db);
    const b = await buildTrackingWorld(handle.db);
    await approve(a, [1_000]);
    const { id } = (await issueNow(a)).issued[0]!;
    await expect(invoicesFor(handle.db, b.merchant.tenant).get(id)).rejects.toMatchObject({ status: 404 });
    await expect(invoicesFor(handle.db, b.merchant.tenant).conversions(id)).rejects.toMatchObject({ status: 404 });
    expect((await invoicesFor(handle.db, b.merchant.tenant).list({}, null)).rows).toEqual([]);
    expect(() => invoicesFor(handle.db, a.publisher.tenant)).toThrow();
    expect(await invoicesFor(handle.db, a.merchant.tenant).conversions(id)).toHaveLength(1);
    await expect(merchantInvoicePdf(handle.db, b.merchant.tenant, id)).rejects.toMatchObject({ status: 404 });
  });

  it("renders the invoice as a PDF and its conversions as CSV", async () => {
    const w = await buildTrackingWorld(handle.db);
    const [kept, reversed] = await approve(w, [1_250, 999]);
    await reverse([reversed!]);
    const { id, number } = (await issueNow(w)).issued[0]!;
    const pdf = await merchantInvoicePdf(handle.db, w.merchant.tenant, id);
    expect(pdf.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.filename).toBe(`INV-${String(number).padStart(6, "0")}.pdf`);
    const csv = await merchantInvoiceCsv(handle.db, w.merchant.tenant, id);
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes(kept!))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(reversed!)).map((l) => l.split(",")[1])).toEqual(["approval", "reversal"]);
    expect(lines.find((l) => l.includes(",reversal,"))).toContain(",-9.99,USD");
  });
});
