import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "#db/client";
import { rateLimits } from "#db/schema";
import { DomainError } from "../errors.server";

/** Points per window; login and reset count failures per IP and per account. */
const policies = {
  login_ip: { points: 50, duration: 15 * 60 },
  login_account: { points: 10, duration: 15 * 60 },
  signup_ip: { points: 20, duration: 60 * 60 },
  reset_ip: { points: 20, duration: 60 * 60 },
  reset_account: { points: 5, duration: 60 * 60 },
} as const;

export type RateLimitPolicy = keyof typeof policies;

const limiters = new WeakMap<Database, Map<RateLimitPolicy, RateLimiterDrizzle>>();

function limiter(db: Database, policy: RateLimitPolicy): RateLimiterDrizzle {
  let byPolicy = limiters.get(db);
  if (!byPolicy) limiters.set(db, (byPolicy = new Map()));
  let found = byPolicy.get(policy);
  if (!found) {
    found = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: policy,
      clearExpiredByTimeout: false,
      ...policies[policy],
    });
    byPolicy.set(policy, found);
  }
  return found;
}

function tooMany(res: RateLimiterRes): DomainError {
  const minutes = Math.max(1, Math.ceil(res.msBeforeNext / 60_000));
  return new DomainError("rate_limited", `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, undefined, 429);
}

/** Throws a 429 DomainError when the key has used up its points, without using one. */
export async function assertWithinLimit(db: Database, policy: RateLimitPolicy, key: string) {
  const res = await limiter(db, policy).get(key);
  if (res && res.consumedPoints >= policies[policy].points) throw tooMany(res);
}

/** Uses one point; throws a 429 DomainError when none was left. */
export async function consumeLimit(db: Database, policy: RateLimitPolicy, key: string) {
  try {
    await limiter(db, policy).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error);
    throw error;
  }
}

export async function resetLimit(db: Database, policy: RateLimitPolicy, key: string) {
  await limiter(db, policy).delete(key);
}
