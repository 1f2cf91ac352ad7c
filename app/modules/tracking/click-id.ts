import { createHmac, randomFillSync, timingSafeEqual } from "node:crypto";

/*
 * A click id proves itself (ADR 16): 23 bytes of fields and randomness, then HMAC-SHA256 of them
 * truncated to 16 bytes, 39 bytes in all, written as 52 characters of base64url without padding.
 *
 *   0 version (1) · 1 key id · 2 flags (bit 0: bot) · 3–8 link id (u48 BE) · 9–12 clicked at (u32 BE
 *   unix seconds) · 13–14 country (ASCII A–Z, or 0 0 when unknown) · 15–22 random · 23–38 HMAC
 */

export type ClickIdFields = {
  linkId: number;
  /** Unix seconds. */
  clickedAt: number;
  bot: boolean;
  /** ISO alpha-2 in capitals, or null when unknown. */
  country: string | null;
};
export type SigningKeyRing = { current: { id: number; secret: Buffer }; byId: ReadonlyMap<number, Buffer> };

const VERSION = 1;
const SIGNED_BYTES = 23;
const MAC_BYTES = 16;
const ID_BYTES = SIGNED_BYTES + MAC_BYTES;
const ID_CHARS = (ID_BYTES / 3) * 4;
const RANDOM_AT = 15;
const RANDOM_BYTES = 8;
const FLAG_BOT = 1;
const MAX_LINK_ID = 2 ** 48 - 1;
const MAX_SECONDS = 2 ** 32 - 1;
const A = 0x41;
const Z = 0x5a;

/** base64url's 64 characters; 39 bytes fill 52 of them exactly, so every valid text is canonical. */
const BASE64URL = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") BASE64URL[c.charCodeAt(0)] = 1;

/*
 * Randomness comes from the CSPRNG in blocks of 512 ids, as crypto.randomUUID does: one call per
 * click costs more than the HMAC. Each byte is used once. The scratch buffers are safe to share
 * because signing and verifying are synchronous.
 */
const pool = Buffer.allocUnsafeSlow(RANDOM_BYTES * 512);
let poolAt = pool.length;
const signScratch = Buffer.allocUnsafeSlow(ID_BYTES);
const verifyScratch = Buffer.allocUnsafeSlow(ID_BYTES);

function mac(secret: Buffer, id: Buffer): Buffer {
  return createHmac("sha256", secret).update(id.subarray(0, SIGNED_BYTES)).digest();
}

const isUpper = (code: number) => code >= A && code <= Z;

export function signClickId(ring: SigningKeyRing, fields: ClickIdFields): string {
  const { linkId, clickedAt, bot, country } = fields;
  if (!Number.isSafeInteger(linkId) || linkId < 0 || linkId > MAX_LINK_ID)
    throw new RangeError(`A click id cannot carry link id ${linkId}`);
  if (!Number.isSafeInteger(clickedAt) || clickedAt < 0 || clickedAt > MAX_SECONDS) {
    throw new RangeError(`A click id cannot carry the time ${clickedAt}`);
  }
  const keyId = ring.current.id;
  if (!Number.isInteger(keyId) || keyId < 1 || keyId > 255) throw new RangeError(`Signing key ids run from 1 to 255, not ${keyId}`);
  const id = signScratch;
  if (country === null) id.writeUInt16BE(0, 13);
  else if (country.length === 2 && isUpper(country.charCodeAt(0)) && isUpper(country.charCodeAt(1))) id.write(country, 13, 2, "latin1");
  else throw new RangeError(`Not an upper-case alpha-2 country: ${country}`);
  id[0] = VERSION;
  id[1] = keyId;
  id[2] = bot ? FLAG_BOT : 0;
  id.writeUIntBE(linkId, 3, 6);
  id.writeUInt32BE(clickedAt, 9);
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool.copy(id, RANDOM_AT, poolAt, poolAt + RANDOM_BYTES);
  poolAt += RANDOM_BYTES;
  mac(ring.current.secret, id).copy(id, SIGNED_BYTES, 0, MAC_BYTES);
  return id.toString("base64url");
}

/** The fields of a click id this network signed with a key it still holds; null for anything else. */
export function verifyClickId(ring: SigningKeyRing, text: string): ClickIdFields | null {
  if (typeof text !== "string" || text.length !== ID_CHARS) return null;
  for (let i = 0; i < ID_CHARS; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || BASE64URL[code] === 0) return null;
  }
  const id = verifyScratch;
  if (id.write(text, "base64url") !== ID_BYTES || id[0] !== VERSION) return null;
  const secret = ring.byId.get(id[1]!);
  if (secret === undefined) return null;
  if (!timingSafeEqual(mac(secret, id).subarray(0, MAC_BYTES), id.subarray(SIGNED_BYTES))) return null;
  const flags = id[2]!;
  const c0 = id[13]!;
  const c1 = id[14]!;
  if ((flags & ~FLAG_BOT) !== 0) return null;
  const unknown = c0 === 0 && c1 === 0;
  if (!unknown && !(isUpper(c0) && isUpper(c1))) return null;
  return {
    linkId: id.readUIntBE(3, 6),
    clickedAt: id.readUInt32BE(9),
    bot: flags === FLAG_BOT,
    country: unknown ? null : String.fromCharCode(c0, c1),
  };
}
