import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseHandle } from "#db/client";
import { startTrackingEngine } from "~/modules/tracking/engine.server";

/** Fixed keys, so a test can sign click ids and address HMACs the engine accepts. */
export const TEST_CLICK_SIGNING_KEYS = `7:${Buffer.alloc(32, 7).toString("base64")},3:${Buffer.alloc(32, 3).toString("base64")}`;
export const TEST_IP_HMAC_KEY = Buffer.alloc(32, 9).toString("base64");

/** A tracking engine on the test's database, as server/app.ts starts one; close() it after the file. */
export function startTestTracking(handle: DatabaseHandle, appUrl = "http://switchboard.test") {
  return startTrackingEngine(handle, {
    appUrl,
    dataDir: mkdtempSync(join(tmpdir(), "switchboard-tracking-")),
    clickSigningKeys: TEST_CLICK_SIGNING_KEYS,
    ipHmacKey: TEST_IP_HMAC_KEY,
    onError: (error, what) => console.error(`tracking: ${what} failed`, error),
  });
}
