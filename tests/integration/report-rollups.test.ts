import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { rebuildRollups } from "~/modules/reports/rollups.server";
import { approveConversions, rejectConversions } from "~/modules/tracking/conversion-review.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { changeConversions } from "~/modules/tracking/lifecycle.server";
import { createTestDatabase } from "../support/database";
import { buildTrackingWorld, type TrackingWorld } from "../support/tracking";
import { writeTestClicks, type ClickSpec } from "../support/reports";
import { insertConversion } from "../support/tracking-rows";

let handle: DatabaseHandle;
let w: TrackingWorld;
let other: TrackingWorld;
const HOUR = 3_600_000;
const now = Date.now();

beforeAll(async () => {
  handle = await createTestDatabase();
  w = await buildTrackingWorld(handle.db);
  other = await buildTrackingWorld(handle.db, { currency: "EUR" });
});
afterAll(() => handle?.close());

const clicksOn = (world: TrackingWorld, specs: ClickSpec[]) => writeTestClicks(handle.db, world.partnership.id, specs);

const measures = `clicks, unique_clicks, conversions, sale_minor::text, commission_minor::text, fee_minor::text, merchant_cost_minor::text`;

/** Every rollup row, in key order, as text (so two snapshots compare exactly). */
async function rollups() {
  const [hours, details, days] = await Promise.all([
    selectRows(
      handle.db,
      sql.raw(`select hour::text, partnership_id, currency, offer_id, merchant_id, publisher_id, ${measures}
      from report_hours where clicks <> 0 or conversions <> 0 order by partnership_id, currency, hour`),
    ),
    selectRows(
      handle.db,
      sql.raw(`select hour::text, partnership_id, currency, sub1, country, ${measures}
      from report_detail_hours where clicks <> 0 or conversions <> 0 order by partnership_id, currency, hour, sub1, country`),
    ),
    selectRows(
      handle.db,
      sql.raw(`select day::text, merchant_id, currency, ${measures}
      from report_merchant_days where clicks <> 0 or conversions <> 0 order by merchant_id, currency, day`),
    ),
  ]);
  return { hours, details, days };
}

const refund = (id: string) =>
  handle.db.transaction((tx) =>
    changeConversions(tx, sql`true`, { kind: "postback", label: "test" }, [id], { action: "refund", note: null }),
  );

describe("report rollups", () => {
  it("equal a recomputation from raw clicks and conversions after clicks, screening, approvals, rejections, reversals and refunds", async () => {
    // Clicks over three hours: a repeat address (not unique), a bot (counted, never unique), sub ids and countries.
    await clicksOn(w, [
      { at: now - 3 * HOUR, ip: "192.0.2.1", sub1: "spring", country: "DE" },
      { at: now - 3 * HOUR + 60_000, ip: "192.0.2.1", sub1: "spring", country: "DE" },
      { at: now - 2 * HOUR, ip: "192.0.2.2", country: "FR" },
      { at: now - 2 * HOUR, ip: "192.0.2.3", bot: true },
      { at: now - HOUR, ip: "192.0.2.4", sub1: "summer", country: "US" },
    ]);
    await clicksOn(other, [{ at: now - HOUR, ip: "198.51.100.1", country: "NL" }]);

    const created = new Date(now - 2 * HOUR);
    const unscreened = { screenedAt: null, createdAt: created };
    const approvedLater = await insertConversion(handle.db, w.partnership.id, { ...unscreened, sub1: "spring" });
    const rejected = await insertConversion(handle.db, w.partnership.id, unscreened);
    const reversed = await insertConversion(handle.db, w.partnership.id, { ...unscreened, saleAmountMinor: 25_000 });
    const refundedPending = await insertConversion(handle.db, w.partnership.id, unscreened);
    await insertConversion(handle.db, w.partnership.id, { ...unscreened, commissionMinor: 1_234, feeMinor: 250 });
    await insertConversion(handle.db, w.partnership.id, { ...unscreened, isTest: true });
    await insertConversion(handle.db, w.partnership.id, { ...unscreened, status: "rejected", reason: "country" });
    // Rejected before screening: never in the reports, so nothing to take out.
    const early = await insertConversion(handle.db, w.partnership.id, unscreened);
    await rejectConversions(handle.db, w.merchant.tenant, [early.id], "duplicate", null);
    // Its click row comes after screening: it moves to the click's sub id and country then.
    const lateClickId = randomUUID();
    await insertConversion(handle.db, other.partnership.id, {
      ...unscreened,
      clickId: lateClickId,
      clickedAt: new Date(Math.floor((now - 3 * HOUR) / 1000) * 1000),
      clickFound: false,
      clickCountry: null,
    });

    await screenConversions(handle.db, new Date());
    await approveConversions(handle.db, w.merchant.tenant, [approvedLater.id, reversed.id]);
    await rejectConversions(handle.db, w.merchant.tenant, [rejected.id], "duplicate", "Same order twice");
    await refund(reversed.id);
    await refund(refundedPending.id);
    await clicksOn(other, [{ at: now - 3 * HOUR, ip: "198.51.100.2", sub1: "late", country: "BE", clickId: lateClickId }]);

    const kept1 = await rollups();
    // Exact figures, so the comparison below cannot pass with both sides wrong the same way.
    const [mine] = await selectRows<{ clicks: string; unique_clicks: string; conversions: string; commission: string }>(
      handle.db,
      sql`select sum(clicks)::text as clicks, sum(unique_clicks)::text as unique_clicks, sum(conversions)::text as conversions,
        sum(commission_minor)::text as commission from report_hours where partnership_id = ${w.partnership.id}`,
    );
    expect(mine).toEqual({ clicks: "5", unique_clicks: "3", conversions: "2", commission: String(800 + 1_234) });
    const late = await selectRows<{ sub1: string; country: string; conversions: number }>(
      handle.db,
      sql`select sub1, country, conversions from report_detail_hours
        where partnership_id = ${other.partnership.id} and conversions <> 0 order by sub1`,
    );
    expect(late).toEqual([{ sub1: "late", country: "BE", conversions: 1 }]);

    await rebuildRollups(handle.db);
    expect(await rollups()).toEqual(kept1);
  });

  it("keep currencies apart on the merchant's UTC day", async () => {
    const days = await selectRows<{ merchant_id: string; currency: string }>(
      handle.db,
      sql`select merchant_id, currency from report_merchant_days order by currency`,
    );
    expect(days).toEqual(
      expect.arrayContaining([
        { merchant_id: other.merchant.organization.id, currency: "EUR" },
        { merchant_id: w.merchant.organization.id, currency: "USD" },
      ]),
    );
  });
});
