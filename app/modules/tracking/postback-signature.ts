import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Stripe-style request signing for postbacks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * While a merchant rotates its secret it may send one v1 per secret; any one matching is enough.
 */

export const SIGNATURE_HEADER = "switchboard-signature";
export const SIGNATURE_WINDOW_SECONDS = 300;

/** A real header is under 100 characters per signature; this bounds the work a hostile one causes. */
const MAX_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 8;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

function hmac(secret: string, timestamp: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest();
}

export function signPostback(secret: string, timestampSeconds: number, payload: string): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError(`Not a unix time in seconds: ${timestampSeconds}`);
  const t = String(timestampSeconds);
  return `t=${t},v1=${hmac(secret, t, payload).toString("hex")}`;
}

/** Checks the signature before the time, so "stale" is only said of a header the secret did sign. */
export function verifyPostbackSignature(
  header: string | null,
  secret: string,
  payload: string,
  nowSeconds: number,
): "valid" | "missing" | "malformed" | "stale" | "mismatch" {
  if (header === null || header.trim() === "") return "missing";
  if (header.length > MAX_HEADER_LENGTH) return "malformed";
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  for (const item of header.split(",")) {
    const equals = item.indexOf("=");
    const key = item.slice(0, Math.max(equals, 0)).trim();
    const value = item.slice(equals + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !TIMESTAMP.test(value)) return "malformed";
      timestamp = value;
    } else if (key === "v1") {
      if (!HEX_SHA256.test(value) || signatures.length === MAX_SIGNATURES) return "malformed";
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === null || signatures.length === 0) return "malformed";
  const expected = hmac(secret, timestamp, payload);
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  if (!matched) return "mismatch";
  return Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS ? "stale" : "valid";
}
