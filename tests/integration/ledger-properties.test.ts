import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import type { RejectionReason } from "~/lib/labels";
import { amountFromSum } from "~/lib/money";
import { applyToOffer } from "~/modules/applications/applications.server";
import { createStaffUser } from "~/modules/auth/staff.server";
import { checkLedger } from "~/modules/ledger/check.server";
import type { Tenant } from "~/modules/orgs/tenant.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { changeConversions, type ConversionActor, type ConversionChange } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner, findPartnership, links } from "#tests/support/factories";
import { createActiveOffer } from "#tests/support/offers";
import { insertConversion } from "#tests/support/tracking-rows";

/*
 * Random histories of conversions (several merchants, publishers and currencies, amounts from zero)
 * moved by every way the lifecycle offers, some at the same time or twice: whatever happened, the
 * ledger must hold exactly what the conversions' final states call for.
 */

let handle: DatabaseHandle;
let partnerships: { id: string; merchant: Tenant }[];
let staffActor: ConversionActor;

beforeAll(async () => {
  handle = await createTestDatabase();
  const db = handle.db;
  const merchants = [await createOrgWithOwner(db), await createOrgWithOwner(db)];
  const publishers = [await createOrgWithOwner(db, "publisher"), await createOrgWithOwner(db, "publisher")];
  const offers = [
    { merchant: merchants[0]!, currency: "USD" },
    { merchant: merchants[0]!, currency: "EUR" },
    { merchant: merchants[1]!, currency: "JPY" },
    { merchant: merchants[1]!, currency: "USD" },
  ];
  partnerships = [];
  for (const { merchant, currency } of offers) {
    const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public", currency });
    for (const publisher of publishers) {
      await applyToOffer(db, publisher.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
      const partnership = await findPartnership(db, offer.id, publisher.organization.id);
      partnerships.push({ id: partnership.id, merchant: merchant.tenant });
    }
  }
  const staff = await createStaffUser(db, { email: "ledger-props@network.example", password: "ledger props pass", name: "Staff" });
  staffActor = { kind: "staff", userId: staff.id, label: staff.email };
});
afterAll(() => handle?.close());

const reasons: RejectionReason[] = ["duplicate", "fraud", "returned", "cancelled", "invalid", "test", "other"];

type Action =
  | { kind: "approve"; target: number; by: "merchant" | "staff" }
  | { kind: "reject"; target: number; reason: RejectionReason }
  | { kind: "refund"; target: number }
  | { kind: "reverse"; target: number }
  | { kind: "hold"; target: number }
  | { kind: "clear"; target: number };
type Step =
  | { kind: "create"; partnership: number; commission: number; fee: number; test: boolean; due: boolean }
  | { kind: "job" }
  | { kind: "once"; action: Action }
  | { kind: "twice"; action: Action }
  | { kind: "together"; actions: Action[] };

const target = fc.nat(50);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("approve" as const), target, by: fc.constantFrom("merchant" as const, "staff" as const) }),
  fc.record({ kind: fc.constant("reject" as const), target, reason: fc.constantFrom(...reasons) }),
  fc.record({ kind: fc.constant("refund" as const), target }),
  fc.record({ kind: fc.constant("reverse" as const), target }),
  fc.record({ kind: fc.constant("hold" as const), target }),
  fc.record({ kind: fc.constant("clear" as const), target }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      partnership: fc.nat(7),
      commission: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000_000 })),
      fee: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500_000 })),
      test: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      due: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "job" as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("once" as const), action }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("twice" as const), action }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("together" as const), actions: fc.array(action, { minLength: 2, maxLength: 3 }) }),
  },
);

type Created = { id: string; partnership: (typeof partnerships)[number] };

const postback: ConversionActor = { kind: "postback", label: "Refund reported by the merchant's postback" };
const screening: ConversionActor = { kind: "job", label: "Fraud screening" };

function changeAs(actor: ConversionActor, id: string, change: ConversionChange) {
  return handle.db.transaction((tx) => changeConversions(tx, sql`true`, actor, [id], change));
}

/** One action, by whoever would take it: the merchant approves and rejects, staff reverse and clear, the postback refunds. */
function run(created: Created[], a: Action) {
  const c = created[a.target % created.length]!;
  switch (a.kind) {
    case "approve":
      return a.by === "merchant"
        ? approveConversions(handle.db, c.partnership.merchant, [c.id])
        : changeAs(staffActor, c.id, { action: "approve" });
    case "reject":
      return rejectConversions(handle.db, c.partnership.merchant, [c.id], a.reason, "Checked by hand");
    case "refund":
      return changeAs(postback, c.id, { action: "refund", note: null });
    case "reverse":
      return changeAs(staffActor, c.id, { action: "reverse", reason: "fraud", note: null });
    case "hold":
      return changeAs(screening, c.id, {
        action: "hold",
        signals: [{ code: "fast_conversion", evidence: "Converted 1 s after the click." }],
      });
    case "clear":
      return changeAs(staffActor, c.id, { action: "clear", note: null });
  }
}

type Balances = Map<string, number>;

/** Every account's kept balance, and the balances its entries sum to, by kind, organization and currency. */
async function balances(): Promise<{ kept: Balances; summed: Balances }> {
  const rows = await selectRows<{ key: string; kept: string; summed: string }>(
    handle.db,
    sql`select a.kind || ':' || coalesce(a.organization_id::text, 'network') || ':' || a.currency as key, a.balance_minor::text as kept,
        coalesce((select sum(e.amount_minor) from ledger_entries e where e.account_id = a.id), 0)::text as summed
      from ledger_accounts a`,
  );
  const nonZero = (pick: (r: (typeof rows)[number]) => string) =>
    new Map(rows.filter((r) => pick(r) !== "0").map((r) => [r.key, amountFromSum(pick(r))]));
  return { kept: nonZero((r) => r.kept), summed: nonZero((r) => r.summed) };
}

/**
 * What the balances must be, worked out from the conversions alone: per merchant and currency the
 * cost of its approved (and not reversed) real conversions, per publisher minus their commission,
 * for the network minus their fees.
 */
async function expectedBalances(): Promise<Balances> {
  const approved = await selectRows<{
    merchant_id: string;
    publisher_id: string;
    currency: string;
    cost: string;
    commission: string;
    fee: string;
  }>(
    handle.db,
    sql`select merchant_id, publisher_id, currency, merchant_cost_minor::text as cost, commission_minor::text as commission, fee_minor::text as fee
      from conversions where status = 'approved' and not is_test`,
  );
  const sums = new Map<string, bigint>();
  const add = (key: string, amount: string, sign: bigint) => sums.set(key, (sums.get(key) ?? 0n) + sign * BigInt(amount));
  for (const c of approved) {
    add(`merchant_receivable:${c.merchant_id}:${c.currency}`, c.cost, 1n);
    add(`publisher_payable:${c.publisher_id}:${c.currency}`, c.commission, -1n);
    add(`network_revenue:network:${c.currency}`, c.fee, -1n);
  }
  return new Map([...sums].filter(([, v]) => v !== 0n).map(([k, v]) => [k, Number(v)]));
}

describe("ledger properties", () => {
  it("after any history every posting balances, balances are the conversions' booked amounts, and undoing it all restores them exactly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 18 }), async (steps) => {
        const before = await balances();
        const created: Created[] = [];
        for (const s of steps) {
          if (s.kind === "create") {
            const partnership = partnerships[s.partnership % partnerships.length]!;
            const past = new Date(Date.now() - 60_000);
            const row = await insertConversion(handle.db, partnership.id, {
              commissionMinor: s.commission,
              feeMinor: s.fee,
              merchantCostMinor: s.commission + s.fee,
              isTest: s.test,
              screenedAt: past,
              ...(s.due ? { validationEndsAt: past } : {}),
            });
            created.push({ id: row.id, partnership });
          } else if (s.kind === "job") {
            await approveDueConversions(handle.db, new Date(), 3);
          } else if (created.length) {
            const actions = s.kind === "once" ? [s.action] : s.kind === "twice" ? [s.action, s.action] : s.actions;
            if (s.kind === "together") await Promise.all(actions.map((a) => run(created, a)));
            else for (const a of actions) await run(created, a);
          }
        }

        const report = await checkLedger(handle.db);
        expect(report.differences).toEqual([]);
        expect(report.ok).toBe(true);
        const now = await balances();
        const expected = await expectedBalances();
        expect(now.kept).toEqual(expected);
        expect(now.summed).toEqual(expected);

        // Undo the run: refund what was approved, reject what is pending; every balance is back where it was.
        for (const c of created) await changeAs(postback, c.id, { action: "refund", note: null });
        const after = await balances();
        expect(after.kept).toEqual(before.kept);
        expect(after.summed).toEqual(before.summed);
        expect((await checkLedger(handle.db)).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
