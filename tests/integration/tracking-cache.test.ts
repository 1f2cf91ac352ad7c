import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { postbackCredentials } from "#db/schema";
import { createTestDatabase } from "#tests/support/database";
import { buildTrackingWorld, startTestTracking } from "#tests/support/tracking";
import { worldCached } from "#tests/support/tracking-http";
import { hashToken } from "~/modules/auth/tokens.server";
import type { StartedTrackingEngine } from "~/modules/tracking/engine.server";

let handle: DatabaseHandle;
let tracking: StartedTrackingEngine;
beforeAll(async () => {
  handle = await createTestDatabase();
  tracking = await startTestTracking(handle);
});
afterAll(async () => {
  await tracking?.close();
  await handle?.close();
});

it("forgets a replaced token on a full reload, even when its notification was missed", async () => {
  const world = await buildTrackingWorld(handle.db);
  await worldCached(tracking, world);
  const merchantId = world.merchant.organization.id;
  expect(tracking.cache.merchantForTokenHash(hashToken(world.token))).toBe(merchantId);

  // Triggers do not fire for a replica session: the change is made without a notification.
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx
      .update(postbackCredentials)
      .set({ tokenHash: hashToken("sbp_replacement") })
      .where(eq(postbackCredentials.merchantId, merchantId));
  });
  expect(tracking.cache.merchantForTokenHash(hashToken(world.token))).toBe(merchantId);

  await tracking.cache.loadAll();
  expect(tracking.cache.merchantForTokenHash(hashToken(world.token))).toBeUndefined();
  expect(tracking.cache.merchantForTokenHash(hashToken("sbp_replacement"))).toBe(merchantId);
});
