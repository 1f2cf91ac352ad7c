import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, SIGNATURE_WINDOW_SECONDS, signPostback, verifyPostbackSignature } from "~/modules/tracking/postback-signature";

const secret = "whsec_3b1f0d8e6a7c4b2e9f1a0c5d7e3b8a6f";
const body = "click_id=abc&order_id=1001&amount=49.90&currency=USD";
const now = 1_790_000_000;
const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 60, maxLength: 68 });

describe("postback signatures", () => {
  it("sign as t=<ts>,v1=<hex HMAC-SHA256 of `t.body`>", () => {
    const expected = createHmac("sha256", secret).update(`${now}.${body}`).digest("hex");
    expect(SIGNATURE_HEADER).toBe("switchboard-signature");
    expect(signPostback(secret, now, body)).toBe(`t=${now},v1=${expected}`);
  });

  it("verify their own signature inside the window, on either side", () => {
    expect(verifyPostbackSignature(signPostback(secret, now, body), secret, body, now)).toBe("valid");
    expect(verifyPostbackSignature(signPostback(secret, now - SIGNATURE_WINDOW_SECONDS, body), secret, body, now)).toBe("valid");
    expect(verifyPostbackSignature(signPostback(secret, now + SIGNATURE_WINDOW_SECONDS, body), secret, body, now)).toBe("valid");
  });

  it("call a genuine signature outside the window stale", () => {
    expect(verifyPostbackSignature(signPostback(secret, now - SIGNATURE_WINDOW_SECONDS - 1, body), secret, body, now)).toBe("stale");
    expect(verifyPostbackSignature(signPostback(secret, now + SIGNATURE_WINDOW_SECONDS + 1, body), secret, body, now)).toBe("stale");
  });

  it("refuse another secret, another body, and a timestamp moved off what was signed", () => {
    const header = signPostback(secret, now, body);
    expect(verifyPostbackSignature(header, "another secret", body, now)).toBe("mismatch");
    expect(verifyPostbackSignature(header, secret, `${body}&amount=1`, now)).toBe("mismatch");
    expect(verifyPostbackSignature(header.replace(`t=${now}`, `t=${now + 1}`), secret, body, now)).toBe("mismatch");
    expect(verifyPostbackSignature(signPostback("another secret", now - 10_000, body), secret, body, now)).toBe("mismatch");
  });

  it("accept any one matching v1 among several (secret rotation), in any order, ignoring other schemes", () => {
    const old = signPostback("old secret", now, body).split(",")[1];
    const current = signPostback(secret, now, body).split(",")[1];
    expect(verifyPostbackSignature(`t=${now},${old},${current}`, secret, body, now)).toBe("valid");
    expect(verifyPostbackSignature(`${current} , v0=abc, t=${now}`, secret, body, now)).toBe("valid");
    expect(verifyPostbackSignature(`t=${now},${old}`, secret, body, now)).toBe("mismatch");
    expect(verifyPostbackSignature(`t=${now},v1=${current?.slice(3).toUpperCase()}`, secret, body, now)).toBe("valid");
  });

  it.each([
    [null, "missing"],
    ["", "missing"],
    ["   ", "missing"],
    ["garbage", "malformed"],
    [`t=${now}`, "malformed"],
    [`v1=${"a".repeat(64)}`, "malformed"],
    [`t=${now},t=${now},v1=${"a".repeat(64)}`, "malformed"],
    [`t=-5,v1=${"a".repeat(64)}`, "malformed"],
    [`t=1.5,v1=${"a".repeat(64)}`, "malformed"],
    [`t=${now},v1=${"a".repeat(63)}`, "malformed"],
    [`t=${now},v1=${"g".repeat(64)}`, "malformed"],
    [`t=${now},v1=${"a".repeat(64)}`, "mismatch"],
    [`t=${now},${`v1=${"a".repeat(64)},`.repeat(9)}`, "malformed"],
    [`t=${now},v1=${"a".repeat(64)}${",".repeat(1000)}`, "malformed"],
  ] as const)("read %j as %s", (header, outcome) => {
    expect(verifyPostbackSignature(header, secret, body, now)).toBe(outcome);
  });

  it("never throw, and never call a header valid that the secret did not sign", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          hex.map((h) => `t=${now},v1=${h}`),
        ),
        (header) => {
          expect(["missing", "malformed", "mismatch"]).toContain(verifyPostbackSignature(header, secret, body, now));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("refuse to sign with a time that is not whole seconds", () => {
    expect(() => signPostback(secret, 1.5, body)).toThrow(RangeError);
    expect(() => signPostback(secret, -1, body)).toThrow(RangeError);
  });
});
