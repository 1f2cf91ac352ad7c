import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { trackingLinks } from "#db/schema";
import { applyToOffer } from "~/modules/applications/applications.server";
import { startTrackingEngine } from "~/modules/tracking/engine.server";
import { rotatePostbackToken, rotateSigningSecret } from "~/modules/tracking/integration.server";
import { parseSigningKeys } from "~/modules/tracking/tracking-keys.server";
import { createOrgWithOwner, findPartnership, links } from "./factories";
import { createActiveOffer } from "./offers";

/** Fixed keys, so a test can sign click ids and address HMACs the engine accepts. */
export const TEST_CLICK_SIGNING_KEYS = `7:${Buffer.alloc(32, 7).toString("base64")},3:${Buffer.alloc(32, 3).toString("base64")}`;
export const TEST_IP_HMAC_KEY = Buffer.alloc(32, 9).toString("base64");

/** The key ring the test engines sign with (key 7 signs, 3 still verifies). */
export const testClickKeys = () => parseSigningKeys(TEST_CLICK_SIGNING_KEYS);

/**
 * A tracking engine on the test's database, as server/app.ts starts one, with a data directory of
 * its own that close() removes; close() it after the file.
 */
export async function startTestTracking(handle: DatabaseHandle, appUrl = "http://switchboard.test") {
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-tracking-"));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const tracking = await startTrackingEngine(handle, {
      appUrl,
      dataDir,
      clickSigningKeys: TEST_CLICK_SIGNING_KEYS,
      ipHmacKey: TEST_IP_HMAC_KEY,
      onError: (error, what) => console.error(`tracking: ${what} failed`, error),
    });
    return {
      ...tracking,
      async close() {
        await tracking.close();
        removeDataDir();
      },
    };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}

/**
 * A merchant with a live offer, a publisher in an active partnership on it (so a tracking link),
 * and the merchant's postback token and signing secret, made as the integration page makes them.
 */
export async function buildTrackingWorld(db: Database, offerOverrides: Record<string, unknown> = {}) {
  const merchant = await createOrgWithOwner(db, "merchant");
  // The credentials first: an engine applies change notifications in commit order, so one whose
  // cache shows the link (worldCached) has applied these too, and no reload of them is still to come.
  const { token } = await rotatePostbackToken(db, merchant.tenant);
  const { secret: signingSecret } = await rotateSigningSecret(db, merchant.tenant);
  const publisher = await createOrgWithOwner(db, "publisher");
  const offer = await createActiveOffer(db, merchant.tenant, { visibility: "public", ...offerOverrides });
  await applyToOffer(db, publisher.tenant, { offerId: offer.id, message: "", answers: [], acceptTerms: true }, links);
  const partnership = await findPartnership(db, offer.id, publisher.organization.id);
  const [link] = await db.select().from(trackingLinks).where(eq(trackingLinks.partnershipId, partnership.id));
  return { merchant, publisher, offer, partnership, link: link!, token, signingSecret };
}

export type TrackingWorld = Awaited<ReturnType<typeof buildTrackingWorld>>;

/**
 * Every conversion recorded, and the ids of those that break what each must hold: merchant cost =
 * commission + fee, neither negative, and the terms and fee they were priced with kept beside them.
 */
export async function conversionLedger(db: Database) {
  const [row] = await selectRows<{ recorded: number; broken: string[] }>(
    db,
    sql`select count(*)::int as recorded,
      coalesce(array_agg(id::text) filter (where merchant_cost_minor <> commission_minor + fee_minor or commission_minor < 0
        or fee_minor < 0 or terms_snapshot is null or fee_snapshot is null), '{}') as broken
    from conversions`,
  );
  return row!;
}
