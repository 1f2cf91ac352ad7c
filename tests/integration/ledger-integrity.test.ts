import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { checkLedger } from "~/modules/ledger/check.server";
import { reviewOrganization } from "~/modules/orgs/review.server";
import { approveConversions } from "~/modules/tracking/conversion-review.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "#tests/support/database";
import { links } from "#tests/support/factories";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";
import { insertConversion } from "#tests/support/tracking-rows";

/*
 * What the database itself holds the ledger to, on a real PostgreSQL server: the append-only and
 * balanced-at-commit triggers, the foreign keys that keep history, and concurrent changes of one
 * conversion that take turns.
 */

let handle: DatabaseHandle;
let w: TrackingWorld;
let staff: StaffActor;

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
  staff = await createStaffUser(handle.db, { email: "ledger-staff@network.example", password: "ledger staff pass 1", name: "Staff" });
});
afterAll(() => handle?.close());

const onServer = Boolean(process.env.DATABASE_URL);

/** One approved conversion's approval posting, booked through the lifecycle. */
async function approvedPosting() {
  const c = await insertConversion(handle.db, w.partnership.id);
  await approveConversions(handle.db, w.merchant.tenant, [c.id]);
  const [posting] = await selectRows<{ id: string; currency: string }>(
    handle.db,
    sql`select id::text, currency from ledger_postings where conversion_id = ${c.id} and kind = 'conversion_approval'`,
  );
  return { conversion: c, postingId: posting!.id, currency: posting!.currency };
}

/** The message the statement (or its transaction's commit) failed with; drizzle wraps the driver's error. */
async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ""}`;
  }
  throw new Error("expected the statement to fail");
}

describe("append-only ledger", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of entries and postings with the trigger's message", async () => {
    const { postingId } = await approvedPosting();
    const statements = [
      [
        sql`update ledger_entries set amount_minor = amount_minor + 1 where posting_id = ${postingId}`,
        "ledger_entries is append-only: UPDATE",
      ],
      [sql`delete from ledger_entries where posting_id = ${postingId}`, "ledger_entries is append-only: DELETE"],
      [sql`truncate ledger_entries`, "ledger_entries is append-only: TRUNCATE"],
      [sql`update ledger_postings set memo = 'edited' where id = ${postingId}`, "ledger_postings is append-only: UPDATE"],
      [sql`delete from ledger_postings where id = ${postingId}`, "ledger_postings is append-only: DELETE"],
      [sql`truncate ledger_postings cascade`, "is append-only: TRUNCATE"],
    ] as const;
    for (const [statement, message] of statements) {
      expect(await failure(() => handle.db.execute(statement))).toContain(message);
    }
    expect((await checkLedger(handle.db)).ok).toBe(true);
  });

  it("refuses at commit a posting whose entries do not sum to zero, and one with an entry in another currency", async () => {
    const { postingId, currency } = await approvedPosting();
    const [accounts] = await selectRows<{ receivable: string; payable: string }>(
      handle.db,
      sql`select max(e.account_id) filter (where a.kind = 'merchant_receivable')::text as receivable,
          max(e.account_id) filter (where a.kind = 'publisher_payable')::text as payable
        from ledger_entries e join ledger_accounts a on a.id = e.account_id where e.posting_id = ${postingId}`,
    );
    const post = (entries: [string, number][], postingCurrency = currency) =>
      handle.db.transaction(async (tx) => {
        const [posting] = await selectRows<{ id: string }>(
          tx,
          sql`insert into ledger_postings (kind, currency, memo) values ('conversion_approval', ${postingCurrency}, 'by hand') returning id::text`,
        );
        for (const [account, amount] of entries) {
          // Each entry alone is unbalanced: only the commit may judge the posting.
          await tx.execute(
            sql`insert into ledger_entries (posting_id, account_id, amount_minor) values (${posting!.id}, ${account}, ${amount})`,
          );
        }
      });
    const { receivable, payable } = accounts!;
    expect(
      await failure(() =>
        post([
          [receivable, 500],
          [payable, -499],
        ]),
      ),
    ).toMatch(/ledger posting \d+ does not balance: its entries sum to 1/);
    expect(await failure(() => post([[receivable, 500]]))).toMatch(/does not balance|needs at least two/);
    expect(
      await failure(() =>
        post(
          [
            [receivable, 500],
            [payable, -500],
          ],
          currency === "EUR" ? "USD" : "EUR",
        ),
      ),
    ).toMatch(/ledger posting \d+ has entries on accounts in another currency/);
    // Appending to a committed posting is judged at commit too.
    expect(
      await failure(() =>
        handle.db.transaction((tx) =>
          tx.execute(sql`insert into ledger_entries (posting_id, account_id, amount_minor) values (${postingId}, ${receivable}, 1)`),
        ),
      ),
    ).toMatch(/does not balance/);
    expect((await checkLedger(handle.db)).ok).toBe(true);
  });
});

describe("organizations with ledger history", () => {
  it("cannot be deleted (their accounts keep them) but can be suspended, and the ledger stays whole", async () => {
    const world = await buildTrackingWorld(handle.db);
    const c = await insertConversion(handle.db, world.partnership.id);
    await approveConversions(handle.db, world.merchant.tenant, [c.id]);
    for (const org of [world.merchant.organization, world.publisher.organization]) {
      expect(await failure(() => handle.db.execute(sql`delete from organizations where id = ${org.id}`))).toMatch(/foreign key/);
    }
    // An account alone (no conversions left to hold the organization) still keeps it.
    const lone = await buildTrackingWorld(handle.db);
    await handle.db.execute(
      sql`insert into ledger_accounts (kind, organization_id, currency) values ('publisher_payable', ${lone.publisher.organization.id}, 'USD')`,
    );
    expect(await failure(() => handle.db.execute(sql`delete from organizations where id = ${lone.publisher.organization.id}`))).toContain(
      "ledger_accounts_organization_id_organizations_id_fk",
    );

    const suspended = await reviewOrganization(
      handle.db,
      staff,
      { organizationId: world.publisher.organization.id, decision: "suspend", reason: "Cookie stuffing" },
      links,
    );
    expect(suspended.status).toBe("suspended");
    const [payable] = await selectRows<{ balance: string }>(
      handle.db,
      sql`select balance_minor::text as balance from ledger_accounts where organization_id = ${world.publisher.organization.id}`,
    );
    expect(payable!.balance).toBe(String(-c.commissionMinor));
    expect((await checkLedger(handle.db)).ok).toBe(true);
  });
});

type Event = { from_status: string | null; to_status: string };
const LEGAL = new Set(["pending>approved", "pending>rejected", "approved>reversed"]);

describe.skipIf(!onServer)("concurrent changes of one conversion", () => {
  it("approve, reverse, refund and approve again at once leave one legal history and a consistent ledger, round after round", async () => {
    const staffActor = { kind: "staff", userId: staff.id, label: staff.email } as const;
    const postback = { kind: "postback", label: "Refund reported by the merchant's postback" } as const;
    const finals = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const c = await insertConversion(handle.db, w.partnership.id, {
        commissionMinor: 700 + round,
        feeMinor: 140,
        merchantCostMinor: 840 + round,
      });
      const change = (actor: typeof staffActor | typeof postback, action: "reverse" | "refund") =>
        handle.db.transaction((tx) =>
          changeConversions(
            tx,
            sql`true`,
            actor,
            [c.id],
            action === "reverse" ? { action, reason: "fraud", note: null } : { action, note: null },
          ),
        );
      const racers = [
        () => approveConversions(handle.db, w.merchant.tenant, [c.id]),
        () => change(staffActor, "reverse"),
        () => change(postback, "refund"),
        () => approveConversions(handle.db, w.merchant.tenant, [c.id]),
      ];
      // A different order each round, so each racer gets to go first.
      const order = racers.map((_, i) => racers[(i + round) % racers.length]!);
      await Promise.all(order.map((run) => run()));

      const events = await selectRows<Event>(
        handle.db,
        sql`select from_status, to_status from conversion_events where conversion_id = ${c.id} order by id`,
      );
      const [now] = await selectRows<{ status: string; approvals: number; reversals: number }>(
        handle.db,
        sql`select c.status, (select count(*)::int from ledger_postings p where p.conversion_id = c.id and p.kind = 'conversion_approval') as approvals,
            (select count(*)::int from ledger_postings p where p.conversion_id = c.id and p.kind = 'conversion_reversal') as reversals
          from conversions c where c.id = ${c.id}`,
      );
      let status = "pending";
      for (const e of events) {
        expect(e.from_status).toBe(status);
        expect(LEGAL.has(`${e.from_status}>${e.to_status}`)).toBe(true);
        status = e.to_status;
      }
      expect(now!.status).toBe(status);
      const approved = events.some((e) => e.to_status === "approved");
      expect(now!.approvals).toBe(approved ? 1 : 0);
      expect(now!.reversals).toBe(status === "reversed" ? 1 : 0);
      finals.set(status, (finals.get(status) ?? 0) + 1);
    }
    // Both ways a race can end happened: approved first (then reversed) and refunded while pending (rejected).
    expect([...finals.keys()].sort()).toEqual(["rejected", "reversed"]);
    const report = await checkLedger(handle.db);
    expect(report.differences).toEqual([]);
  });
});
