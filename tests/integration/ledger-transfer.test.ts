import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { checkLedger } from "~/modules/ledger/check.server";
import { bookTransfer } from "~/modules/ledger/postings.server";
import { createTestDatabase } from "#tests/support/database";
import { buildTrackingWorld, type TrackingWorld } from "#tests/support/tracking";

let handle: DatabaseHandle;
let w: TrackingWorld;

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
});
afterAll(() => handle?.close());

const balances = () =>
  selectRows<{ kind: string; balance: string }>(
    handle.db,
    sql`select kind, balance_minor::text as balance from ledger_accounts order by kind`,
  );

describe("transfers", () => {
  it("book one balanced posting of two entries and move both balances by exactly the amount", async () => {
    const id = await handle.db.transaction((tx) =>
      bookTransfer(tx, {
        kind: "merchant_payment",
        currency: "USD",
        memo: "Payment",
        debit: { kind: "cash", organizationId: null },
        credit: { kind: "merchant_receivable", organizationId: w.merchant.organization.id },
        amountMinor: 12_345,
      }),
    );
    const entries = await selectRows<{ amount: string }>(
      handle.db,
      sql`select amount_minor::text as amount from ledger_entries where posting_id = ${id} order by id`,
    );
    expect(entries.map((e) => e.amount)).toEqual(["12345", "-12345"]);
    expect(await balances()).toEqual([
      { kind: "merchant_receivable", balance: "-12345" },
      { kind: "cash", balance: "12345" },
    ]);
    expect((await checkLedger(handle.db)).ok).toBe(true);
  });

  it("refuse an amount that is not a positive whole number of minor units", async () => {
    for (const amountMinor of [0, -1, 1.5]) {
      await expect(
        handle.db.transaction((tx) =>
          bookTransfer(tx, {
            kind: "publisher_payout",
            currency: "USD",
            memo: "Payout",
            debit: { kind: "publisher_payable", organizationId: w.publisher.organization.id },
            credit: { kind: "cash", organizationId: null },
            amountMinor,
          }),
        ),
      ).rejects.toThrow(/positive whole number/);
    }
  });
});
