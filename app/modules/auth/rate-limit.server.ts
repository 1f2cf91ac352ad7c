import { setTimeout as sleep } from "node:timers/promises";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "#db/client";
import { rateLimits } from "#db/schema";
import { DomainError } from "../errors.server";

/**
 * Points per window. Failed log-ins are refused per IP and per (account, IP), so an attacker's address
 * is stopped without locking the owner out; per account they only slow down (see slowDownMs).
 */
const policies = {
  login_ip: { points: 50, duration: 15 * 60 },
  login_account_ip: { points: 10, duration: 15 * 60 },
  /** Failures an account takes from anywhere before each attempt on it waits. */
  login_account: { points: 10, duration: 15 * 60 },
  password_change: { points: 10, duration: 15 * 60 },
  signup_ip: { points: 20, duration: 60 * 60 },
  signup_email: { points: 5, duration: 60 * 60 },
  reset_ip: { points: 20, duration: 60 * 60 },
  reset_account: { points: 5, duration: 60 * 60 },
  /** A publisher's "send test" calls any address it names at once: not a tool for probing a network. */
  postback_test: { points: 30, duration: 60 * 60 },
  /** Requests per REST API key and minute. */
  api_key: { points: 600, duration: 60 },
} as const;

/** Points per window of seconds. */
export type LimitWindow = { points: number; duration: number };

type RateLimitPolicy = keyof typeof policies;

const limiters = new WeakMap<Database, Map<string, RateLimiterDrizzle>>();

function limiter(db: Database, policy: RateLimitPolicy, window: LimitWindow = policies[policy]): RateLimiterDrizzle {
  let byPolicy = limiters.get(db);
  if (!byPolicy) limiters.set(db, (byPolicy = new Map()));
  const name = `${policy}:${window.points}/${window.duration}`;
  let found = byPolicy.get(name);
  if (!found) {
    found = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: policy,
      clearExpiredByTimeout: false,
      points: window.points,
      duration: window.duration,
    });
    byPolicy.set(name, found);
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

/** Where a key's window stands after a request: what the RateLimit headers of an answer say. */
export type MeteredLimit = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/**
 * Uses one point and says where the window stands, without throwing: for answers that carry the
 * standard RateLimit headers. A window other than the policy's (a test's small one) may be given.
 */
export async function consumeMetered(db: Database, policy: RateLimitPolicy, key: string, window: LimitWindow = policies[policy]) {
  let res: RateLimiterRes;
  let allowed = true;
  try {
    res = await limiter(db, policy, window).consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    res = error;
    allowed = false;
  }
  return {
    allowed,
    limit: window.points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  } satisfies MeteredLimit;
}

export async function resetLimit(db: Database, policy: RateLimitPolicy, key: string) {
  await limiter(db, policy).delete(key);
}

const SLOW_DOWN_FIRST_MS = 250;
const SLOW_DOWN_MAX_MS = 4_000;

/** The wait once a key has used its free points: 250 ms, doubling with each further point, at most 4 s. */
export function slowDownMs(policy: RateLimitPolicy, consumedPoints: number): number {
  const beyond = consumedPoints - policies[policy].points;
  if (beyond < 0) return 0;
  return Math.min(SLOW_DOWN_FIRST_MS * 2 ** beyond, SLOW_DOWN_MAX_MS);
}

/** Waits as long as slowDownMs says for the key's points so far; never refuses. */
export async function waitOutSlowDown(db: Database, policy: RateLimitPolicy, key: string) {
  const res = await limiter(db, policy).get(key);
  const ms = slowDownMs(policy, res?.consumedPoints ?? 0);
  if (ms > 0) await sleep(ms);
}

/** Counts one point without ever refusing, for policies that slow down instead of blocking. */
export async function countPoint(db: Database, policy: RateLimitPolicy, key: string) {
  await limiter(db, policy).penalty(key, 1);
}
