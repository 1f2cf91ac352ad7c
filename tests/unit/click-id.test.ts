import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signClickId, verifyClickId, type ClickIdFields, type SigningKeyRing } from "~/modules/tracking/click-id";

const ring = (id: number, secret: Buffer, ...older: [number, Buffer][]): SigningKeyRing => ({
  current: { id, secret },
  byId: new Map([[id, secret], ...older]),
});

const oldSecret = randomBytes(32);
const newSecret = randomBytes(32);
const keys = ring(7, newSecret);
const fields: ClickIdFields = { linkId: 123_456, clickedAt: 1_790_000_000, bot: false, country: "DE" };

const upper = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ");
const anyFields = fc.record({
  linkId: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  clickedAt: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  bot: fc.boolean(),
  country: fc.option(fc.tuple(upper, upper).map(([a, b]) => a + b)),
});

const bytesOf = (id: string) => Buffer.from(id, "base64url");

describe("click ids", () => {
  it("are 52 base64url characters that verify to the fields they carry", () => {
    const id = signClickId(keys, fields);
    expect(id).toMatch(/^[A-Za-z0-9_-]{52}$/);
    expect(verifyClickId(keys, id)).toEqual(fields);
    const bytes = bytesOf(id);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([1, 7, 0]);
    expect(bytes.readUIntBE(3, 6)).toBe(123_456);
    expect(bytes.readUInt32BE(9)).toBe(1_790_000_000);
    expect(bytes.toString("latin1", 13, 15)).toBe("DE");
  });

  it("round-trip any fields, and two clicks alike get different ids", () => {
    fc.assert(
      fc.property(anyFields, (f) => {
        const a = signClickId(keys, f);
        expect(verifyClickId(keys, a)).toEqual(f);
        expect(signClickId(keys, f)).not.toBe(a);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuse an id signed with another secret under the same key id", () => {
    const forged = signClickId(ring(7, randomBytes(32)), fields);
    expect(verifyClickId(keys, forged)).toBeNull();
  });

  it("refuse truncated and extended ids", () => {
    const id = signClickId(keys, fields);
    for (let n = 0; n < id.length; n++) expect(verifyClickId(keys, id.slice(0, n))).toBeNull();
    expect(verifyClickId(keys, `${id}A`)).toBeNull();
    expect(verifyClickId(keys, `${id}=`)).toBeNull();
  });

  it("refuse an id with any bit of any byte changed", () => {
    const bytes = bytesOf(signClickId(keys, fields));
    for (let at = 0; at < bytes.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = Buffer.from(bytes);
        tampered[at]! ^= 1 << bit;
        expect(verifyClickId(keys, tampered.toString("base64url"))).toBeNull();
      }
    }
  });

  it("refuse an id with any character changed, including to a character outside base64url", () => {
    const id = signClickId(keys, fields);
    for (let at = 0; at < id.length; at++) {
      for (const c of ["A", "z", "-", "_", "+", "/", "=", ".", " ", "é"]) {
        if (id[at] === c) continue;
        expect(verifyClickId(keys, id.slice(0, at) + c + id.slice(at + 1))).toBeNull();
      }
    }
  });

  it("refuse an id signed under a key id the ring does not hold", () => {
    expect(verifyClickId(keys, signClickId(ring(8, newSecret), fields))).toBeNull();
  });

  it("refuse a well-signed id of another version, with unknown flags or a bad country", () => {
    const resigned = (change: (b: Buffer) => void) => {
      const bytes = bytesOf(signClickId(keys, fields));
      change(bytes);
      createHmac("sha256", newSecret).update(bytes.subarray(0, 23)).digest().copy(bytes, 23, 0, 16);
      return bytes.toString("base64url");
    };
    expect(
      verifyClickId(
        keys,
        resigned(() => {}),
      ),
    ).toEqual(fields);
    expect(
      verifyClickId(
        keys,
        resigned((b) => (b[0] = 2)),
      ),
    ).toBeNull();
    expect(
      verifyClickId(
        keys,
        resigned((b) => (b[2] = 2)),
      ),
    ).toBeNull();
    expect(
      verifyClickId(
        keys,
        resigned((b) => b.write("de", 13, "latin1")),
      ),
    ).toBeNull();
    expect(
      verifyClickId(
        keys,
        resigned((b) => (b[13] = 0)),
      ),
    ).toBeNull();
  });

  it("keep verifying after rotation while the old key stays in the ring; new ids use the current key", () => {
    const before = signClickId(ring(1, oldSecret), fields);
    const rotated = ring(2, newSecret, [1, oldSecret]);
    expect(verifyClickId(rotated, before)).toEqual(fields);
    const after = signClickId(rotated, fields);
    expect(bytesOf(after)[1]).toBe(2);
    expect(verifyClickId(rotated, after)).toEqual(fields);
    expect(verifyClickId(ring(2, newSecret), before)).toBeNull();
  });

  it("carry the bot flag and an unknown country", () => {
    const bot = { ...fields, bot: true, country: null };
    const id = signClickId(keys, bot);
    expect(bytesOf(id)[2]).toBe(1);
    expect(verifyClickId(keys, id)).toEqual(bot);
  });

  it("refuse to sign what the layout cannot carry", () => {
    expect(() => signClickId(keys, { ...fields, linkId: 2 ** 48 })).toThrow(RangeError);
    expect(() => signClickId(keys, { ...fields, linkId: 1.5 })).toThrow(RangeError);
    expect(() => signClickId(keys, { ...fields, clickedAt: 2 ** 32 })).toThrow(RangeError);
    expect(() => signClickId(keys, { ...fields, clickedAt: -1 })).toThrow(RangeError);
    expect(() => signClickId(keys, { ...fields, country: "de" })).toThrow(RangeError);
    expect(() => signClickId(keys, { ...fields, country: "DEU" })).toThrow(RangeError);
    expect(() => signClickId(ring(0, newSecret), fields)).toThrow(RangeError);
    expect(() => signClickId(ring(256, newSecret), fields)).toThrow(RangeError);
  });

  it("answer null, never throw, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary", minLength: 52, maxLength: 52 }), fc.base64String()), (text) => {
        expect(verifyClickId(keys, text)).toBeNull();
      }),
      { numRuns: 5000 },
    );
    expect(verifyClickId(keys, "A".repeat(52))).toBeNull();
    expect(verifyClickId(keys, "")).toBeNull();
  });
});
