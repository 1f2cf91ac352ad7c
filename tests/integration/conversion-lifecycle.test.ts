import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { savePublisherPostback } from "~/modules/publisher-postbacks/postbacks.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "../support/database";
import { buildTrackingWorld, type TrackingWorld } from "../support/tracking";
import { insertConversion } from "../support/tracking-rows";

let handle: DatabaseHandle;
let w: TrackingWorld;

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
});
afterAll(() => handle?.close());

const due = { validationEndsAt: new Date(Date.now() - 1000), screenedAt: new Date() };

async function statusOf(id: string) {
  const [row] = await selectRows<{ status: string; reason: string | null; hold: string; decided: boolean }>(
    handle.db,
    sql`select status, reason, hold, decided_at is not null as decided from conversions where id = ${id}`,
  );
  return row!;
}

async function entriesOf(conversionId: string) {
  return selectRows<{ kind: string; account: string; amount: string }>(
    handle.db,
    sql`select p.kind, a.kind as account, e.amount_minor::text as amount
      from ledger_postings p join ledger_entries e on e.posting_id = p.id join ledger_accounts a on a.id = e.account_id
      where p.conversion_id = ${conversionId} order by p.id, a.kind`,
  );
}

describe("conversion lifecycle", () => {
  it("books an approval once and a refund as its exact negation", async () => {
    const c = await insertConversion(handle.db, w.partnership.id, { commissionMinor: 801, feeMinor: 161, merchantCostMinor: 962 });
    const [first] = await approveConversions(handle.db, w.merchant.tenant, [c.id]);
    expect(first).toMatchObject({ result: "changed", from: "pending", to: "approved" });
    const [again] = await approveConversions(handle.db, w.merchant.tenant, [c.id]);
    expect(again).toMatchObject({ result: "unchanged" });
    expect(await entriesOf(c.id)).toEqual([
      { kind: "conversion_approval", account: "merchant_receivable", amount: "962" },
      { kind: "conversion_approval", account: "publisher_payable", amount: "-801" },
      { kind: "conversion_approval", account: "network_revenue", amount: "-161" },
    ]);
    const [refunded] = await handle.db.transaction((tx) =>
      changeConversions(tx, sql`true`, { kind: "postback", label: "test" }, [c.id], { action: "refund", note: null }),
    );
    expect(refunded).toMatchObject({ result: "changed", from: "approved", to: "reversed" });
    const entries = await entriesOf(c.id);
    expect(entries.slice(3)).toEqual([
      { kind: "conversion_reversal", account: "merchant_receivable", amount: "-962" },
      { kind: "conversion_reversal", account: "publisher_payable", amount: "801" },
      { kind: "conversion_reversal", account: "network_revenue", amount: "161" },
    ]);
    expect(await statusOf(c.id)).toMatchObject({ status: "reversed", reason: "returned", decided: true });
  });

  it("refuses another merchant's conversion as not found and a rejected one's approval", async () => {
    const other = await buildTrackingWorld(handle.db);
    const c = await insertConversion(handle.db, other.partnership.id);
    expect((await approveConversions(handle.db, w.merchant.tenant, [c.id]))[0]).toEqual({ id: c.id, result: "not_found" });
    await rejectConversions(handle.db, other.merchant.tenant, [c.id], "duplicate", "Same order twice");
    expect(await statusOf(c.id)).toMatchObject({ status: "rejected", reason: "duplicate" });
    expect((await approveConversions(handle.db, other.merchant.tenant, [c.id]))[0]).toMatchObject({ result: "refused" });
  });

  it("queues the publisher's postback once screened and for each status change, filled with the status", async () => {
    const world = await buildTrackingWorld(handle.db);
    await savePublisherPostback(
      handle.db,
      world.publisher.tenant,
      { urlTemplate: "https://publisher.example/pb?s={status}&o={order_id}", offerId: undefined },
      { allowLoopback: false },
    );
    const c = await insertConversion(handle.db, world.partnership.id, {
      orderId: "PB-1",
      clickedAt: new Date(Date.now() - 3_600_000),
      screenedAt: null,
    });
    await screenConversions(handle.db, new Date());
    await rejectConversions(handle.db, world.merchant.tenant, [c.id], "invalid", null);
    const deliveries = await selectRows<{ trigger: string; url: string }>(
      handle.db,
      sql`select trigger, url from postback_deliveries where conversion_id = ${c.id} order by id`,
    );
    expect(deliveries).toEqual([
      { trigger: "created", url: "https://publisher.example/pb?s=pending&o=PB-1" },
      { trigger: "rejected", url: "https://publisher.example/pb?s=rejected&o=PB-1" },
    ]);
  });

  it("lets a merchant approve only what fraud screening has seen, and refuses amounts that do not add up", async () => {
    const c = await insertConversion(handle.db, w.partnership.id, { screenedAt: null });
    expect((await approveConversions(handle.db, w.merchant.tenant, [c.id]))[0]).toMatchObject({
      result: "refused",
      message: "Fraud screening has not looked at it yet; try again in a minute.",
    });
    await expect(
      insertConversion(handle.db, w.partnership.id, { commissionMinor: 800, feeMinor: 160, merchantCostMinor: 961 }),
    ).rejects.toThrow();
  });

  it("auto-approves what is due and screened, skipping held, unscreened and not yet due", async () => {
    const ready = await Promise.all([1, 2, 3].map(() => insertConversion(handle.db, w.partnership.id, due)));
    const held = await insertConversion(handle.db, w.partnership.id, { ...due, hold: "held" });
    const unscreened = await insertConversion(handle.db, w.partnership.id, { ...due, screenedAt: null });
    const later = await insertConversion(handle.db, w.partnership.id, { screenedAt: new Date() });
    const { approved } = await approveDueConversions(handle.db, new Date(), 2);
    expect(approved).toBe(3);
    for (const c of ready) expect((await statusOf(c.id)).status).toBe("approved");
    for (const c of [held, unscreened, later]) expect((await statusOf(c.id)).status).toBe("pending");
  });
});
