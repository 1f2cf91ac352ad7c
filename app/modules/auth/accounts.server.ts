import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueJob } from "#db/jobs/enqueue";
import { passwordResetRequest, signUpRequest } from "#db/jobs/queues";
import { users, userTokens } from "#db/schema";
import { DomainError } from "../errors.server";
import { sendVerification, type Links, type TokenPurpose } from "./account-emails.server";
import { recordLoginAddress } from "./login-addresses.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.server";
import { assertWithinLimit, consumeLimit, countPoint, resetLimit, waitOutSlowDown } from "./rate-limit.server";
import { createSession, invalidateUserSessions, type SessionUser } from "./sessions.server";
import { hashToken } from "./tokens.server";

/**
 * Answers a new address and a taken one alike: both are limited, both hash the password (the slow
 * part) and both queue one job, which creates the account or emails the holder (finishSignUp). No
 * session is opened, so neither the answer nor its timing tells whether the address is taken.
 */
export async function signUp(db: Database, input: { name: string; email: string; password: string; ip: string }) {
  await consumeLimit(db, "signup_ip", input.ip);
  await consumeLimit(db, "signup_email", input.email);
  const passwordHash = await hashPassword(input.password);
  await enqueueJob(db, signUpRequest, { name: input.name, email: input.email, passwordHash });
}

export async function resendVerification(db: Database, user: SessionUser, links: Links) {
  if (user.emailVerifiedAt) return;
  await consumeLimit(db, "reset_account", `verify:${user.id}`);
  await db.transaction((tx) => sendVerification(tx, user, links));
}

/** Marks the token used and returns its user, or throws when it is unknown, used or expired. */
async function useToken(db: Database, token: string, purpose: TokenPurpose) {
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userTokens.id, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: userTokens.userId });
  if (!row) {
    const what = purpose === "verify_email" ? "verification" : "password reset";
    throw new DomainError("invalid_token", `This ${what} link is invalid or has expired. Ask for a new one.`, undefined, 400);
  }
  return row.userId;
}

export async function verifyEmail(db: Database, token: string) {
  return db.transaction(async (tx) => {
    const userId = await useToken(tx, token, "verify_email");
    await markEmailVerified(tx, userId);
    return userId;
  });
}

/** The user proved the address reached them (a verification or invitation link); the first proof counts. */
export async function markEmailVerified(db: Database, userId: string) {
  await db
    .update(users)
    .set({ emailVerifiedAt: new Date() })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
}

/**
 * Failures are refused per IP and per (account, IP) and only slow the account down globally, so
 * someone guessing from one address cannot lock the owner out (ADR 2).
 */
/** `ipHmac` is what is stored of the address when the log-in succeeds (see recordLoginAddress). */
export async function logIn(db: Database, input: { email: string; password: string; ip: string; ipHmac: string }) {
  const accountAtIp = `${input.email} ${input.ip}`;
  await assertWithinLimit(db, "login_ip", input.ip);
  await assertWithinLimit(db, "login_account_ip", accountAtIp);
  await waitOutSlowDown(db, "login_account", input.email);
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await consumeLimit(db, "login_ip", input.ip);
    await consumeLimit(db, "login_account_ip", accountAtIp);
    await countPoint(db, "login_account", input.email);
    throw new DomainError("invalid_credentials", "That email and password do not match an account.", undefined, 400);
  }
  await resetLimit(db, "login_account_ip", accountAtIp);
  const { token, session } = await openSession(db, user.id, input.ipHmac);
  return { user, sessionToken: token, session };
}

/**
 * A new session for a person who just proved who they are, remembering the address they came from
 * (its HMAC): fraud screening matches publishers' own log-in addresses against their clicks.
 */
async function openSession(db: Database, userId: string, ipHmac: string) {
  await recordLoginAddress(db, userId, ipHmac);
  return createSession(db, userId);
}

/**
 * Says nothing either way: the request is limited and queued the same for any address, and only the
 * job looks the account up (sendPasswordResets).
 */
export async function requestPasswordReset(db: Database, input: { email: string; ip: string }) {
  await consumeLimit(db, "reset_ip", input.ip);
  await consumeLimit(db, "reset_account", input.email);
  await enqueueJob(db, passwordResetRequest, { email: input.email });
}

/** Sets the new password, ends every session and opens a fresh one. */
export async function resetPassword(db: Database, input: { token: string; password: string; ipHmac: string }) {
  const passwordHash = await hashPassword(input.password);
  const userId = await db.transaction(async (tx) => {
    const id = await useToken(tx, input.token, "reset_password");
    // Receiving the link proves the inbox, so the address counts as verified too.
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, id));
    await invalidateUserSessions(tx, id);
    return id;
  });
  const { token, session } = await openSession(db, userId, input.ipHmac);
  return { sessionToken: token, session };
}

export async function changePassword(
  db: Database,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string; ip: string },
) {
  await assertWithinLimit(db, "password_change", input.userId);
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await consumeLimit(db, "password_change", input.userId);
    throw new DomainError("invalid_credentials", "Your current password is not correct.", "currentPassword", 400);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await invalidateUserSessions(tx, user.id, input.sessionId);
  });
}

export async function updateName(db: Database, userId: string, name: string) {
  await db.update(users).set({ name }).where(eq(users.id, userId));
}
