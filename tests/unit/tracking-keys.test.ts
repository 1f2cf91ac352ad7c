import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signClickId, verifyClickId } from "~/modules/tracking/click-id";
import { loadTrackingKeys, parseSigningKeys } from "~/modules/tracking/tracking-keys.server";

const secret = (bytes = 32) => randomBytes(bytes);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "tracking-keys-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("parseSigningKeys", () => {
  it("makes the first key current and every key verifying, from base64 or base64url", () => {
    const three = secret(48);
    const two = Buffer.from("fb".repeat(16) + "ff".repeat(16), "hex");
    const ring = parseSigningKeys(` 3:${three.toString("base64")} , 2:${two.toString("base64url")}`);
    expect(ring.current).toEqual({ id: 3, secret: three });
    expect([...ring.byId.keys()]).toEqual([3, 2]);
    expect(ring.byId.get(2)).toEqual(two);
  });

  it.each([
    ["", /lists no key/],
    [" , ", /lists no key/],
    [`${secret().toString("base64")}`, /entry 1 is not id:secret/],
    [`x:${secret().toString("base64")}`, /entry 1 is not id:secret/],
    [`0:${secret().toString("base64")}`, /key id 0; key ids run from 1 to 255/],
    [`256:${secret().toString("base64")}`, /key id 256/],
    [`1:${secret().toString("base64")},1:${secret().toString("base64")}`, /entry 2 repeats key id 1/],
    [`1:${secret(31).toString("base64")}`, /is 31 bytes; use at least 32/],
    ["1:not base64!", /not base64/],
    ["1:", /not base64/],
  ])("refuses %j with a readable message", (value, message) => {
    expect(() => parseSigningKeys(value)).toThrow(message);
  });

  it("never repeats a secret in its messages", () => {
    const short = secret(20).toString("base64");
    expect(() => parseSigningKeys(`1:${short}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(short) }));
  });
});

describe("loadTrackingKeys", () => {
  it("uses the configured keys and writes no file", () => {
    const dir = tempDir();
    const ip = secret();
    const keys = loadTrackingKeys({
      CLICK_SIGNING_KEYS: `5:${secret().toString("base64")}`,
      IP_HMAC_KEY: ip.toString("base64"),
      DATA_DIR: dir,
    });
    expect(keys.clickKeys.current.id).toBe(5);
    expect(keys.ipKey).toEqual(ip);
    expect(() => statSync(join(dir, "tracking-keys.json"))).toThrow();
  });

  it("names the variable that is wrong", () => {
    const dir = tempDir();
    expect(() => loadTrackingKeys({ CLICK_SIGNING_KEYS: `1:${secret().toString("base64")}`, IP_HMAC_KEY: "short", DATA_DIR: dir })).toThrow(
      /IP_HMAC_KEY is 3 bytes/,
    );
    expect(() => loadTrackingKeys({ CLICK_SIGNING_KEYS: "1:abc", DATA_DIR: dir })).toThrow(/CLICK_SIGNING_KEYS entry 1/);
  });

  it("creates a private key file on first boot and reads the same keys on the next", () => {
    const dir = join(tempDir(), "nested", "data");
    const first = loadTrackingKeys({ DATA_DIR: dir });
    const path = join(dir, "tracking-keys.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.clickKeys.current.id).toBe(1);
    expect(first.clickKeys.current.secret).toHaveLength(32);
    expect(first.ipKey).toHaveLength(32);
    expect(first.ipKey.equals(first.clickKeys.current.secret)).toBe(false);

    const second = loadTrackingKeys({ DATA_DIR: dir });
    expect(second).toEqual(first);
    const id = signClickId(first.clickKeys, { linkId: 1, clickedAt: 1, bot: false, country: null });
    expect(verifyClickId(second.clickKeys, id)).not.toBeNull();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      CLICK_SIGNING_KEYS: expect.stringMatching(/^1:[A-Za-z0-9_-]{43}$/),
      IP_HMAC_KEY: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it("takes from the file only what is not configured", () => {
    const dir = tempDir();
    const stored = loadTrackingKeys({ DATA_DIR: dir });
    const configured = loadTrackingKeys({ CLICK_SIGNING_KEYS: `9:${secret().toString("base64")}`, DATA_DIR: dir });
    expect(configured.clickKeys.current.id).toBe(9);
    expect(configured.ipKey).toEqual(stored.ipKey);
  });

  it("refuses a damaged key file, saying what to do, instead of replacing it", () => {
    const dir = tempDir();
    const path = join(dir, "tracking-keys.json");
    writeFileSync(path, "{ not json");
    expect(() => loadTrackingKeys({ DATA_DIR: dir })).toThrow(/is not a tracking key file .*delete it to make new keys/);
    writeFileSync(path, JSON.stringify({ CLICK_SIGNING_KEYS: "1:short", IP_HMAC_KEY: secret().toString("base64") }));
    expect(() => loadTrackingKeys({ DATA_DIR: dir })).toThrow(`${path}: CLICK_SIGNING_KEYS entry 1 (key 1) is 3 bytes`);
    expect(readFileSync(path, "utf8")).toContain("1:short");
  });
});
