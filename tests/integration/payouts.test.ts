import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { payoutCreatedNotice } from "#db/jobs/queues";
import { BILLING_SETTINGS_DEFAULTS, saveBillingSettings } from "~/modules/invoices/billing-settings.server";
import { checkLedger } from "~/modules/ledger/check.server";
import { publisherBalances } from "~/modules/payouts/balances.server";
import { sendPayoutCreatedNotices } from "~/modules/payouts/notify.server";
import { payoutsFor } from "~/modules/payouts/payout-data.server";
import { runPayouts } from "~/modules/payouts/run.server";
import { payoutSettingsSchema } from "~/modules/payouts/schemas";
import { markPayoutFailed, markPayoutPaid } from "~/modules/payouts/settle.server";
import { getPayoutSettings, savePayoutSettings } from "~/modules/payouts/settings.server";
import { getPayoutRun, payoutRunCsv } from "~/modules/payouts/staff-payouts.server";
import { insertInvoiceFor, markInvoicePaid } from "#tests/support/billing-rows";
import { createTestDatabase } from "#tests/support/database";
import { emailsTo } from "#tests/support/factories";
import { runDueJobs } from "#tests/support/jobs";
import { buildPayoutWorld, payoutRows } from "#tests/support/payouts";

let handle: DatabaseHandle;
let w: Awaited<ReturnType<typeof buildPayoutWorld>>;
type Publisher = Awaited<ReturnType<typeof w.publisher>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildPayoutWorld(handle.db);
});
afterAll(() => handle?.close());

const db = () => handle.db;
const IBAN = "DE89370400440532013000";

async function withSettings(p: Publisher, thresholds: Record<string, string> = {}) {
  await savePayoutSettings(
    db(),
    p.tenant,
    payoutSettingsSchema.parse({ method: "bank_transfer", accountHolder: "Ada Lovelace", iban: IBAN, swift: "COBADEFFXXX", thresholds }),
  );
}

/** Approved conversions of these commissions, billed on an invoice the merchant has paid. */
async function paidConversions(p: Publisher, commissions: number[]) {
  const ids = await w.conversions(p.partnershipId, commissions);
  await insertInvoiceFor(db(), ids, "paid");
  return ids;
}

const run = () => runPayouts(db(), w.staff);
const balanceOf = async (p: Publisher) => (await publisherBalances(db(), p.tenant)).balances.find((b) => b.currency === "USD");
const setRequirePaidInvoice = (on: boolean) =>
  db().execute(sql`insert into billing_settings (id, invoice_due_days, payouts_require_paid_invoice) values (true, 30, ${on})
    on conflict (id) do update set payouts_require_paid_invoice = ${on}`);

beforeEach(async () => {
  await setRequirePaidInvoice(true);
});

async function expectLedgerClean() {
  const report = await checkLedger(db());
  expect(report.differences).toEqual([]);
  expect(report.ok).toBe(true);
}

describe("payout runs", () => {
  it("pay a balance at its threshold and not one a cent below it", async () => {
    const p = await w.publisher();
    await withSettings(p);
    await paidConversions(p, [2_000, 2_999]);
    await run();
    expect(await payoutRows(db(), p.organization.id)).toEqual([]);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 4_999 });

    await paidConversions(p, [1]);
    const result = await run();
    expect(await payoutRows(db(), p.organization.id)).toEqual([
      { id: expect.any(String), status: "pending", amount: "5000", items: ["2000", "2999", "1"] },
    ]);
    expect(result.totals.find((t) => t.currency === "USD")!.amountMinor).toBeGreaterThanOrEqual(5_000);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 0, inPaymentMinor: 5_000 });
    await expectLedgerClean();
  });

  it("hold a publisher to its own threshold above the network minimum", async () => {
    const p = await w.publisher();
    await withSettings(p, { USD: "100" });
    await paidConversions(p, [6_000]);
    await run();
    expect(await payoutRows(db(), p.organization.id)).toEqual([]);
    await paidConversions(p, [4_000]);
    await run();
    expect((await payoutRows(db(), p.organization.id)).map((r) => r.amount)).toEqual(["10000"]);
  });

  it("wait for the merchant's paid invoice while the network requires it, and not when it does not", async () => {
    const p = await w.publisher();
    await withSettings(p);
    const ids = await w.conversions(p.partnershipId, [7_000]);
    const invoiceId = await insertInvoiceFor(db(), ids, "issued");
    await run();
    expect(await payoutRows(db(), p.organization.id)).toEqual([]);
    const before = await publisherBalances(db(), p.tenant);
    expect(before.balances).toEqual([
      { currency: "USD", pendingMinor: 0, awaitingMinor: 7_000, availableMinor: 0, inPaymentMinor: 0, paidMinor: 0 },
    ]);
    expect(before.awaiting).toEqual([
      expect.objectContaining({ merchantId: w.merchant.organization.id, conversions: 1, invoiced: 1, amountMinor: 7_000 }),
    ]);

    await markInvoicePaid(db(), invoiceId);
    await run();
    expect((await payoutRows(db(), p.organization.id)).map((r) => r.amount)).toEqual(["7000"]);

    const q = await w.publisher();
    await withSettings(q);
    await w.conversions(q.partnershipId, [5_500]);
    await run();
    expect(await payoutRows(db(), q.organization.id)).toEqual([]);
    await setRequirePaidInvoice(false);
    expect((await publisherBalances(db(), q.tenant)).awaiting).toEqual([]);
    await run();
    expect((await payoutRows(db(), q.organization.id)).map((r) => r.amount)).toEqual(["5500"]);
    await expectLedgerClean();
  });

  it("skip a publisher without a payout method, and list it on the run", async () => {
    const p = await w.publisher();
    await paidConversions(p, [8_000]);
    const result = await run();
    expect(result.skipped).toContainEqual({
      publisherId: p.organization.id,
      name: p.organization.name,
      currency: "USD",
      amountMinor: 8_000,
      reason: "no_payout_method",
    });
    expect((await getPayoutRun(db(), w.staff, result.runId)).skipped).toContainEqual(
      expect.objectContaining({ publisherId: p.organization.id, reason: "no_payout_method" }),
    );
    expect(await payoutRows(db(), p.organization.id)).toEqual([]);
  });
});

describe("settling payouts", () => {
  it("book a paid payout from payable to cash once, and email the owner", async () => {
    const p = await w.publisher();
    await withSettings(p);
    await paidConversions(p, [5_000, 1_234]);
    await run();
    const [payout] = await payoutRows(db(), p.organization.id);
    const payoutEmails = async () => (await emailsTo(db(), p.owner.user.email)).filter((e) => e.template.startsWith("payout_"));
    expect(await payoutEmails()).toEqual([]);
    await runDueJobs(handle, payoutCreatedNotice, sendPayoutCreatedNotices(db(), w.links));
    expect(await emailsTo(db(), p.owner.user.email)).toContainEqual(
      expect.objectContaining({ template: "payout_created", subject: "A payout of $62.34 is on its way" }),
    );

    await markPayoutPaid(db(), w.staff, { payoutId: payout!.id, reference: "BATCH-42" }, w.links);
    const [payable] = await selectRows<{ balance: string }>(
      db(),
      sql`select balance_minor::text as balance from ledger_accounts where kind = 'publisher_payable' and organization_id = ${p.organization.id}`,
    );
    expect(payable!.balance).toBe("0");
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 0, inPaymentMinor: 0, paidMinor: 6_234 });
    expect(await emailsTo(db(), p.owner.user.email)).toContainEqual(expect.objectContaining({ template: "payout_paid" }));
    await expect(markPayoutPaid(db(), w.staff, { payoutId: payout!.id, reference: "again" }, w.links)).rejects.toThrow(/already paid/);
    await expectLedgerClean();
  });

  it("return a failed payout's amounts to the available balance, booking nothing", async () => {
    const p = await w.publisher();
    await withSettings(p);
    await paidConversions(p, [6_000]);
    await run();
    const [first] = await payoutRows(db(), p.organization.id);
    const postings = await selectRows<{ n: number }>(db(), sql`select count(*)::int as n from ledger_postings`);
    await markPayoutFailed(db(), w.staff, { payoutId: first!.id, reason: "IBAN closed" }, w.links);
    expect(await selectRows<{ n: number }>(db(), sql`select count(*)::int as n from ledger_postings`)).toEqual(postings);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 6_000, inPaymentMinor: 0, paidMinor: 0 });
    await run();
    const rows = await payoutRows(db(), p.organization.id);
    expect(rows.map((r) => [r.status, r.amount])).toEqual([
      ["failed", "6000"],
      ["pending", "6000"],
    ]);
    await expectLedgerClean();
  });

  /** A publisher with settings whose first payout, of one conversion of this commission, is marked paid. */
  async function paidOutOnce(commissionMinor: number) {
    const p = await w.publisher();
    await withSettings(p);
    const [paidOne] = await paidConversions(p, [commissionMinor]);
    await run();
    const [first] = await payoutRows(db(), p.organization.id);
    await markPayoutPaid(db(), w.staff, { payoutId: first!.id, reference: "R1" }, w.links);
    return { p, paidOne };
  }

  it("carry a refund of a paid conversion as a negative item into the next payout", async () => {
    const { p, paidOne } = await paidOutOnce(6_000);

    // Paid money is final: a decision to reverse it is refused; a refund the merchant reports is clawed back.
    const [refused] = await w.reverse([paidOne!]);
    expect(refused).toMatchObject({ result: "refused", status: "approved", message: expect.stringMatching(/paid to the publisher/) });
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 0, paidMinor: 6_000 });
    await w.refund([paidOne!]);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: -6_000, paidMinor: 6_000 });
    // Approved then reversed before it was paid: nets to zero, carried by neither side.
    const [neverPaid] = await paidConversions(p, [3_000]);
    await w.reverse([neverPaid!]);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: -6_000 });

    await run();
    expect(await payoutRows(db(), p.organization.id)).toHaveLength(1);
    await paidConversions(p, [9_000, 2_500]);
    await run();
    const rows = await payoutRows(db(), p.organization.id);
    expect(rows[1]).toMatchObject({ status: "pending", amount: "5500" });
    expect([...rows[1]!.items].sort()).toEqual(["-6000", "2500", "9000"].sort());
    const detail = await payoutsFor(db(), p.tenant).get(rows[1]!.id);
    expect(detail.conversions.filter((c) => c.clawback).map((c) => c.conversionId)).toEqual([paidOne]);
    await markPayoutPaid(db(), w.staff, { payoutId: rows[1]!.id, reference: "R2" }, w.links);
    expect(await balanceOf(p)).toMatchObject({ availableMinor: 0, paidMinor: 11_500 });
    await expectLedgerClean();
  });

  it("make no payout of nothing when a clawback cancels the new earnings, even with a network minimum of zero", async () => {
    const { p, paidOne } = await paidOutOnce(6_000);
    await w.refund([paidOne!]);
    await paidConversions(p, [6_000]);
    await saveBillingSettings(db(), w.staff, { ...BILLING_SETTINGS_DEFAULTS, payoutMinimums: { USD: 0 } });
    try {
      await run();
      expect(await payoutRows(db(), p.organization.id)).toHaveLength(1);
      expect(await balanceOf(p)).toMatchObject({ availableMinor: 0 });
    } finally {
      await saveBillingSettings(db(), w.staff, BILLING_SETTINGS_DEFAULTS);
    }
    await expectLedgerClean();
  });

  it("never pay a posting twice when two runs start at once", async () => {
    const publishers: Publisher[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await w.publisher();
      await withSettings(p);
      await paidConversions(p, [5_000, 700]);
      publishers.push(p);
    }
    await Promise.all([run(), run(), run()]);
    for (const p of publishers) expect((await payoutRows(db(), p.organization.id)).map((r) => r.amount)).toEqual(["5700"]);
    const twice = await selectRows<{ posting_id: string }>(
      db(),
      sql`select i.posting_id::text from payout_items i join payouts p on p.id = i.payout_id where p.status <> 'failed'
        group by i.posting_id having count(*) > 1`,
    );
    expect(twice).toEqual([]);
    await expectLedgerClean();
  });
});

describe("balances", () => {
  it("put every amount in exactly one bucket", async () => {
    const p = await w.publisher();
    await withSettings(p);
    await w.conversions(p.partnershipId, [111], false);
    await w.conversions(p.partnershipId, [222]);
    await paidConversions(p, [5_333]);
    await run();
    await paidConversions(p, [444]);
    expect(await balanceOf(p)).toEqual({
      currency: "USD",
      pendingMinor: 111,
      awaitingMinor: 222,
      availableMinor: 444,
      inPaymentMinor: 5_333,
      paidMinor: 0,
    });
  });
});

describe("ledger check", () => {
  it("reports a payout whose amount is not the sum of its items", async () => {
    const p = await w.publisher();
    await withSettings(p);
    await paidConversions(p, [5_100]);
    await run();
    const [payout] = await payoutRows(db(), p.organization.id);
    await db().execute(sql`update payouts set amount_minor = 5101 where id = ${payout!.id}`);
    const report = await checkLedger(db());
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      expect.objectContaining({ check: "payouts", description: expect.stringContaining("items sum to $51.00") }),
    ]);
    await db().execute(sql`update payouts set amount_minor = 5100 where id = ${payout!.id}`);
    await expectLedgerClean();
  });
});

describe("payout settings and data access", () => {
  it("shows saved details masked only, and refuses a threshold under the network minimum", async () => {
    const p = await w.publisher();
    await withSettings(p);
    const shown = await getPayoutSettings(db(), p.tenant);
    expect(JSON.stringify(shown)).not.toContain(IBAN);
    expect(shown.saved!.maskedDetails).toContain("•••• 3000");
    await expect(withSettings(p, { USD: "49.99" })).rejects.toMatchObject({ field: "thresholds.USD", message: /at least \$50\.00/ });
    await expect(withSettings(p, { USD: "12,5" })).rejects.toMatchObject({ field: "thresholds.USD" });
    const audit = await selectRows<{ after: unknown }>(
      db(),
      sql`select after from audit_log where action = 'payouts.settings_saved' and organization_id = ${p.organization.id}`,
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(IBAN);
  });

  it("rejects bank details that cannot be paid to", () => {
    const bad = payoutSettingsSchema.safeParse({ method: "bank_transfer", accountHolder: "A", accountNumber: "12345678" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["routingNumber"]);
    expect(payoutSettingsSchema.safeParse({ method: "paypal", paypalEmail: "not-an-email" }).success).toBe(false);
    expect(payoutSettingsSchema.safeParse({ method: "other", instructions: "x".repeat(1001) }).success).toBe(false);
  });

  it("lets a publisher read its own payouts only, and exports the run with the full details for staff", async () => {
    const p = await w.publisher();
    const other = await w.publisher();
    await withSettings(p);
    await paidConversions(p, [5_050]);
    const result = await run();
    const [payout] = await payoutRows(db(), p.organization.id);
    const own = await payoutsFor(db(), p.tenant).list({ status: "pending" }, null);
    expect(own.rows.map((r) => r.id)).toEqual([payout!.id]);
    expect(JSON.stringify(own)).not.toContain(IBAN);
    await expect(payoutsFor(db(), other.tenant).get(payout!.id)).rejects.toMatchObject({ status: 404 });
    expect(() => payoutsFor(db(), w.merchant.tenant)).toThrow();
    expect((await payoutsFor(db(), p.tenant).list({ status: "paid" }, null)).rows).toEqual([]);

    const csv = await payoutRunCsv(db(), w.staff, result.runId);
    const [header, ...lines] = csv.trim().split("\r\n");
    expect(header).toBe(
      "payout_id,publisher,method,amount,currency,account_holder,iban,account_number,routing_number,swift_bic,bank_name,paypal_email,instructions,reference",
    );
    expect(lines.find((l) => l.startsWith(payout!.id))).toContain(`Bank transfer,50.50,USD,Ada Lovelace,${IBAN},,,COBADEFFXXX`);
  });
});
