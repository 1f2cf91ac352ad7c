import { lt, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { loginAddresses } from "#db/schema";
import { DAY_MS } from "~/lib/time";

/**
 * Remembers that the user logged in from this address (its HMAC, the same as a click's), so fraud
 * screening can tell a publisher's members converting on their own links.
 */
export async function recordLoginAddress(db: Database, userId: string, ipHmac: string) {
  await db
    .insert(loginAddresses)
    .values({ userId, ipHmac, lastSeenAt: sql`now()` })
    .onConflictDoUpdate({ target: [loginAddresses.userId, loginAddresses.ipHmac], set: { lastSeenAt: sql`now()` } });
}

/** Log-in addresses are kept no longer than fraud screening may look back (its longest window, a year). */
const LOGIN_ADDRESS_KEPT_DAYS = 365;

/** Forgets the log-in addresses not seen for longer than they are kept; returns how many. */
export async function forgetOldLoginAddresses(db: Database, now: Date) {
  const before = new Date(now.getTime() - LOGIN_ADDRESS_KEPT_DAYS * DAY_MS);
  const gone = await db.delete(loginAddresses).where(lt(loginAddresses.lastSeenAt, before)).returning({ userId: loginAddresses.userId });
  return gone.length;
}
