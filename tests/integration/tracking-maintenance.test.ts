import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { clickUniques, conversionCounters, postbackLog } from "#db/schema";
import { createTestDatabase } from "#tests/support/database";
import { createOrgWithOwner } from "#tests/support/factories";
import { maintainTrackingTables } from "~/modules/tracking/click-partitions.server";
import { POSTBACK_LOG_KEPT } from "~/modules/tracking/postback-log.server";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

const NOW = new Date("2026-11-21T12:00:00Z");

async function clickPartitions() {
  const rows = await selectRows<{ name: string }>(
    handle.db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'clicks' order by 1`,
  );
  return rows.map((r) => r.name);
}

describe("the hourly tracking upkeep", () => {
  it("makes the coming days' partitions and drops only days past the retention", async () => {
    await handle.db.execute(sql`select create_click_partition('2026-08-01'::date)`);
    await handle.db.execute(sql`select create_click_partition('2026-08-30'::date)`);
    const { dropped } = await maintainTrackingTables(handle.db, NOW, 90);
    expect(dropped).toEqual(["clicks_20260801"]);
    const partitions = await clickPartitions();
    expect(partitions).toContain("clicks_20260830");
    expect(partitions).toContain("clicks_default");
    for (const day of ["20261120", "20261121", "20261128"]) expect(partitions).toContain(`clicks_${day}`);
  });

  it("purges unique markers older than a day and counters of past periods, keeping the current ones", async () => {
    const scopeId = "5f0c6f1e-2b7a-4c1d-9e3f-0a1b2c3d4e5f";
    await handle.db.insert(clickUniques).values([
      { linkId: 1, ipHmac: "old", uniqueAt: new Date("2026-11-20T11:00:00Z") },
      { linkId: 1, ipHmac: "recent", uniqueAt: new Date("2026-11-21T01:00:00Z") },
    ]);
    await handle.db
      .insert(conversionCounters)
      .values(
        ["d2026-11-19", "d2026-11-20", "d2026-11-21", "m2026-09", "m2026-10", "m2026-11"].map((period) => ({ scopeId, period, count: 1 })),
      );
    await maintainTrackingTables(handle.db, NOW, 90);
    expect((await handle.db.select().from(clickUniques)).map((u) => u.ipHmac)).toEqual(["recent"]);
    const periods = (await handle.db.select().from(conversionCounters)).map((c) => c.period).sort();
    expect(periods).toEqual(["d2026-11-20", "d2026-11-21", "m2026-10", "m2026-11"]);
  });

  it("keeps each merchant's latest postback log lines", async () => {
    const { organization } = await createOrgWithOwner(handle.db, "merchant");
    const line = {
      merchantId: organization.id,
      method: "GET",
      parameters: {},
      authentication: "token",
      httpStatus: 201,
      outcome: "recorded",
      message: "",
    };
    const lines = Array.from({ length: POSTBACK_LOG_KEPT + 5 }, (_, i) => ({ ...line, receivedAt: new Date(NOW.getTime() + i) }));
    await handle.db.insert(postbackLog).values(lines);
    await maintainTrackingTables(handle.db, NOW, 90);
    const kept = await handle.db.select({ receivedAt: postbackLog.receivedAt }).from(postbackLog);
    expect(kept).toHaveLength(POSTBACK_LOG_KEPT);
    expect(Math.min(...kept.map((k) => k.receivedAt.getTime()))).toBe(NOW.getTime() + 5);
  });
});
