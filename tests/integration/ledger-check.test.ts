import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { issueInvoicesNow } from "~/modules/invoices/issuing.server";
import { recordInvoicePayment } from "~/modules/invoices/settlement.server";
import { ledgerBalances, ledgerPostings, POSTINGS_PAGE_SIZE } from "~/modules/ledger/balances.server";
import { checkLedger, type LedgerCheckName } from "~/modules/ledger/check.server";
import { readBalancesFilter, readPostingsFilter } from "~/modules/ledger/schemas";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { findConversions } from "~/modules/tracking/conversion-search.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "#tests/support/database";
import { links } from "#tests/support/factories";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";
import { insertConversion } from "#tests/support/tracking-rows";

let handle: DatabaseHandle;
let w: TrackingWorld;
let staff: StaffActor;

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
  staff = await createStaffUser(handle.db, { email: "ledger-check@network.example", password: "ledger check pass", name: "Staff" });
});
afterAll(() => handle?.close());

const refund = (db: Database, id: string) =>
  db.transaction((tx) => changeConversions(tx, sql`true`, { kind: "postback", label: "Refund" }, [id], { action: "refund", note: null }));

/** Approved, approved then refunded, rejected, pending, and an approved test conversion: one of each. */
async function history(db: Database, world: TrackingWorld) {
  const approved = await insertConversion(db, world.partnership.id, { commissionMinor: 801, feeMinor: 161, merchantCostMinor: 962 });
  const refunded = await insertConversion(db, world.partnership.id, { commissionMinor: 0, feeMinor: 50, merchantCostMinor: 50 });
  const rejected = await insertConversion(db, world.partnership.id);
  const pending = await insertConversion(db, world.partnership.id);
  const test = await insertConversion(db, world.partnership.id, { isTest: true });
  await approveConversions(db, world.merchant.tenant, [approved.id, refunded.id, test.id]);
  await refund(db, refunded.id);
  await rejectConversions(db, world.merchant.tenant, [rejected.id], "duplicate", null);
  return { approved, refunded, rejected, pending, test };
}

const differencesBy = (checks: { name: LedgerCheckName; differences: number }[]) =>
  Object.fromEntries(checks.map((c) => [c.name, c.differences]));

describe("the staff ledger pages", () => {
  it("show balances per account the way each reads, totals per currency, and each conversion's postings with their entries", async () => {
    const h = await history(handle.db, w);
    const { totals, accounts, currencies } = await ledgerBalances(handle.db, staff, {});
    expect(currencies).toEqual(["USD"]);
    // The refunded one nets to zero; the test conversion books nothing.
    expect(totals).toEqual([{ currency: "USD", receivableMinor: 962, payableMinor: 801, revenueMinor: 161, cashMinor: 0, accounts: 3 }]);
    expect(accounts.map((a) => [a.kind, a.organizationName, a.balanceMinor, a.shownMinor])).toEqual([
      ["merchant_receivable", w.merchant.organization.name, 962, 962],
      ["publisher_payable", w.publisher.organization.name, -801, 801],
      ["network_revenue", null, -161, 161],
    ]);
    const publishersOnly = await ledgerBalances(handle.db, staff, {
      kind: "publisher_payable",
      organization: w.publisher.organization.name,
    });
    expect(publishersOnly.accounts.map((a) => a.kind)).toEqual(["publisher_payable"]);
    expect((await ledgerBalances(handle.db, staff, { currency: "EUR" })).accounts).toEqual([]);

    const refunded = await ledgerPostings(handle.db, staff, { conversionId: h.refunded.id });
    expect(refunded.postings.map((p) => [p.kind, p.reversesPostingId === null])).toEqual([
      ["conversion_reversal", false],
      ["conversion_approval", true],
    ]);
    const [reversal, approval] = refunded.postings;
    expect(reversal!.reversesPostingId).toBe(approval!.id);
    expect(approval!.entries.map((e) => [e.account.kind, e.side, e.sizeMinor])).toEqual([
      ["merchant_receivable", "debit", 50],
      ["publisher_payable", "credit", 0],
      ["network_revenue", "credit", 50],
    ]);
    expect(reversal!.entries.map((e) => [e.account.kind, e.side, e.sizeMinor])).toEqual([
      ["merchant_receivable", "credit", 50],
      ["publisher_payable", "credit", 0],
      ["network_revenue", "debit", 50],
    ]);
    for (const none of [h.pending, h.rejected, h.test]) {
      expect((await ledgerPostings(handle.db, staff, { conversionId: none.id })).postings).toEqual([]);
    }

    const [found] = await findConversions(handle.db, staff, h.refunded.id);
    expect(found!.postings).toBe(2);
    expect((await findConversions(handle.db, staff, h.test.id))[0]!.postings).toBe(0);
  });

  it("pages an account's postings newest first by keyset, and refuses an account that does not exist", async () => {
    const world = await buildTrackingWorld(handle.db);
    const made: string[] = [];
    for (let i = 0; i < POSTINGS_PAGE_SIZE + 3; i++) made.push((await insertConversion(handle.db, world.partnership.id)).id);
    await approveConversions(handle.db, world.merchant.tenant, made);
    const { accounts } = await ledgerBalances(handle.db, staff, {
      kind: "publisher_payable",
      organization: world.publisher.organization.name,
    });
    const account = accounts[0]!.id;
    const first = await ledgerPostings(handle.db, staff, { accountId: account });
    expect(first.account).toMatchObject({ kind: "publisher_payable", organizationName: world.publisher.organization.name });
    expect(first.postings).toHaveLength(POSTINGS_PAGE_SIZE);
    const second = await ledgerPostings(handle.db, staff, { accountId: account, before: first.nextBefore! });
    expect(second.postings).toHaveLength(3);
    expect(second.nextBefore).toBeNull();
    const ids = [...first.postings, ...second.postings].map((p) => p.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set([...first.postings, ...second.postings].map((p) => p.conversionId))).toEqual(new Set(made));
    await expect(ledgerPostings(handle.db, staff, { accountId: 9_999_999 })).rejects.toMatchObject({ status: 404 });
  });

  it("reads the filters it can and says what is wrong with the others", () => {
    const read = readPostingsFilter(new URLSearchParams({ conversion: "not-a-uuid", account: "12", before: "x" }));
    expect(read.filter).toEqual({ account: 12 });
    expect(read.errors).toEqual([expect.stringContaining("conversion id looks like"), expect.stringContaining("out of date")]);
    expect(readPostingsFilter(new URLSearchParams({ account: "1e400" })).errors).toHaveLength(1);
    const balances = readBalancesFilter(new URLSearchParams({ kind: "cash", currency: "usd", organization: "x".repeat(101) }));
    expect(balances.filter).toEqual({ kind: "cash", currency: "USD" });
    expect(balances.errors).toEqual([expect.stringContaining("at most 100 characters")]);
  });
});

describe("checkLedger", () => {
  it("finds nothing on a ledger booked through the lifecycle", async () => {
    await history(handle.db, w);
    const { issued } = await issueInvoicesNow(handle.db, staff, w.merchant.organization.id, new Date(Date.now() + 1_000), links);
    await recordInvoicePayment(handle.db, staff, issued[0]!.id, { amount: "1.00", receivedOn: "2026-11-01", reference: "WIRE" }, links);
    const report = await checkLedger(handle.db);
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    // No payout exists in this history: the payouts check has nothing to look at.
    expect(report.checks.filter((c) => c.name !== "payouts").every((c) => c.checked > 0)).toBe(true);
  });

  it("names each kind of damage done behind the triggers' backs, under the check that finds it", async () => {
    const world = await buildTrackingWorld(handle.db);
    const h = await history(handle.db, world);
    const victims = await Promise.all([1, 2, 3].map(() => insertConversion(handle.db, world.partnership.id)));
    const victimIds = victims.map((c) => c.id);
    await approveConversions(handle.db, world.merchant.tenant, victimIds);
    const [approvalOf, reversalOf] = await Promise.all(
      ["conversion_approval", "conversion_reversal"].map(async (kind) => {
        const rows = await selectRows<{ conversion_id: string; id: string }>(
          handle.db,
          sql`select conversion_id, id::text from ledger_postings where kind = ${kind}::ledger_posting_kind`,
        );
        return new Map(rows.map((r) => [r.conversion_id, r.id]));
      }),
    );
    const entry = (posting: string, kind: string) =>
      sql`(select e.id from ledger_entries e join ledger_accounts a on a.id = e.account_id where e.posting_id = ${posting} and a.kind = ${kind}::ledger_account_kind)`;
    await handle.db.transaction(async (tx) => {
      // As a superuser restoring a dump would: no triggers, so no append-only refusal and no balance check.
      await tx.execute(sql`set local session_replication_role = replica`);
      // An unbalanced posting (and so a kept balance that no longer matches and an approval that books too much).
      await tx.execute(
        sql`update ledger_entries set amount_minor = amount_minor + 5 where id = ${entry(approvalOf!.get(victims[0]!.id)!, "merchant_receivable")}`,
      );
      // A balanced approval on the wrong split: a cent moved from the publisher's line to the network's.
      await tx.execute(
        sql`update ledger_entries set amount_minor = amount_minor - 1 where id = ${entry(approvalOf!.get(victims[1]!.id)!, "publisher_payable")}`,
      );
      await tx.execute(
        sql`update ledger_entries set amount_minor = amount_minor + 1 where id = ${entry(approvalOf!.get(victims[1]!.id)!, "network_revenue")}`,
      );
      // A reversal that is not the exact negation of its approval (still balanced).
      await tx.execute(
        sql`update ledger_entries set amount_minor = amount_minor + 1 where id = ${entry(reversalOf!.get(h.refunded.id)!, "merchant_receivable")}`,
      );
      await tx.execute(
        sql`update ledger_entries set amount_minor = amount_minor - 1 where id = ${entry(reversalOf!.get(h.refunded.id)!, "network_revenue")}`,
      );
      // Statuses that no longer match what was booked.
      await tx.execute(sql`update conversions set status = 'approved' where id = ${h.pending.id}`);
      await tx.execute(sql`update conversions set status = 'pending' where id = ${victims[2]!.id}`);
      // A payment whose amount no longer matches its posting, nor its invoice's paid amount.
      await tx.execute(sql`update invoice_payments set amount_minor = amount_minor + 1`);
    });

    const report = await checkLedger(handle.db);
    expect(report.ok).toBe(false);
    expect(differencesBy(report.checks)).toEqual({
      postings: 1,
      balances: 2,
      conversions: 2,
      approvals: 3,
      reversals: 2,
      payments: 2,
      payouts: 0,
    });
    const about = (check: LedgerCheckName) =>
      report.differences
        .filter((d) => d.check === check)
        .map((d) => d.description)
        .join("\n");
    expect(about("postings")).toMatch(/entries sum to \$0\.05, not zero/);
    expect(about("balances")).toMatch(/merchant receivable of .* keeps a balance of .*; its entries sum to/);
    expect(about("conversions")).toContain(`The approved conversion ${h.pending.id} has 0 approval postings and 0 reversal postings`);
    expect(about("conversions")).toContain(`The pending conversion ${victims[2]!.id} has 1 approval posting`);
    expect(about("approvals")).toContain("the conversion says -$8.00");
    expect(about("reversals")).toContain(`of conversion ${h.refunded.id} takes back`);
    expect(about("payments")).toMatch(/Payment \d+ of \$1\.01 on invoice .* should move exactly that/);
    expect(about("payments")).toMatch(/keeps \$1\.00 paid; its payments sum to \$1\.01/);
  });
});
