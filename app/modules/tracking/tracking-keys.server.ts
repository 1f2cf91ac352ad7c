import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SigningKeyRing } from "./click-id";

type TrackingKeys = { clickKeys: SigningKeyRing; ipKey: Buffer };

const MIN_SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_FILE = "tracking-keys.json";

/** base64 or base64url text of at least 32 bytes; the message never repeats the secret. */
function decodeSecret(text: string, what: string): Buffer {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) throw new Error(`${what} is not base64 or base64url text`);
  const secret = Buffer.from(trimmed, "base64");
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`${what} is ${secret.length} bytes; use at least ${MIN_SECRET_BYTES} random bytes`);
  return secret;
}

/** "3:<secret>,2:<secret>": the first key signs, every listed key verifies (so old click ids keep working). */
export function parseSigningKeys(value: string): SigningKeyRing {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("CLICK_SIGNING_KEYS lists no key: write id:secret, like 1:<base64 of 32 random bytes>");
  const byId = new Map<number, Buffer>();
  entries.forEach((entry, i) => {
    const what = `CLICK_SIGNING_KEYS entry ${i + 1}`;
    const colon = entry.indexOf(":");
    const idText = entry.slice(0, Math.max(colon, 0)).trim();
    if (colon < 1 || !/^\d{1,3}$/.test(idText)) throw new Error(`${what} is not id:secret (an id from 1 to 255, a colon, a base64 secret)`);
    const id = Number(idText);
    if (id < 1 || id > 255) throw new Error(`${what} has key id ${id}; key ids run from 1 to 255`);
    if (byId.has(id)) throw new Error(`${what} repeats key id ${id}; each key needs its own id`);
    byId.set(id, decodeSecret(entry.slice(colon + 1), `${what} (key ${id})`));
  });
  const [currentId, secret] = byId.entries().next().value!;
  return { current: { id: currentId, secret }, byId };
}

type KeyFile = { CLICK_SIGNING_KEYS: string; IP_HMAC_KEY: string };

/** The embedded install's keys, made once with fresh random secrets and kept across restarts. */
function readOrCreateKeyFile(dataDir: string, path: string): KeyFile {
  const fresh: KeyFile = {
    CLICK_SIGNING_KEYS: `1:${randomBytes(MIN_SECRET_BYTES).toString("base64url")}`,
    IP_HMAC_KEY: randomBytes(MIN_SECRET_BYTES).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${JSON.stringify(fresh, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  let file: Partial<KeyFile> | null = null;
  try {
    file = JSON.parse(readFileSync(path, "utf8")) as Partial<KeyFile> | null;
  } catch {
    // Unreadable JSON gets the same message as a wrong shape, below.
  }
  if (typeof file?.CLICK_SIGNING_KEYS !== "string" || typeof file.IP_HMAC_KEY !== "string") {
    throw new Error(
      `${path} is not a tracking key file ({"CLICK_SIGNING_KEYS": "1:…", "IP_HMAC_KEY": "…"}): restore it, or delete it to make new keys (click ids signed with the old ones then stop verifying)`,
    );
  }
  return { CLICK_SIGNING_KEYS: file.CLICK_SIGNING_KEYS, IP_HMAC_KEY: file.IP_HMAC_KEY };
}

/**
 * The configured keys, or, for what is not configured, the ones in `${DATA_DIR}/tracking-keys.json`
 * (created on first boot). The file uses the variables' own format, so its values can move into them.
 */
export function loadTrackingKeys(options: { CLICK_SIGNING_KEYS?: string; IP_HMAC_KEY?: string; DATA_DIR: string }): TrackingKeys {
  const clickText = options.CLICK_SIGNING_KEYS?.trim();
  const ipText = options.IP_HMAC_KEY?.trim();
  const clickKeys = clickText ? parseSigningKeys(clickText) : null;
  const ipKey = ipText ? decodeSecret(ipText, "IP_HMAC_KEY") : null;
  if (clickKeys && ipKey) return { clickKeys, ipKey };
  const path = join(options.DATA_DIR, KEY_FILE);
  const file = readOrCreateKeyFile(options.DATA_DIR, path);
  try {
    return {
      clickKeys: clickKeys ?? parseSigningKeys(file.CLICK_SIGNING_KEYS),
      ipKey: ipKey ?? decodeSecret(file.IP_HMAC_KEY, "IP_HMAC_KEY"),
    };
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}
