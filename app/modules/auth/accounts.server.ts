import { and, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/client";
import { users, userTokenPurpose, userTokens } from "#db/schema";
import { renderEmail } from "#emails/catalog";
import { enqueueEmail } from "#emails/outbox";
import { DomainError } from "../errors.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.server";
import { assertWithinLimit, consumeLimit, countPoint, resetLimit, waitOutSlowDown } from "./rate-limit.server";
import { createSession, invalidateUserSessions, type SessionUser } from "./sessions.server";
import { generateToken, hashToken } from "./tokens.server";

const HOUR_MS = 60 * 60 * 1000;
const VERIFY_TTL_MS = 48 * HOUR_MS;
const RESET_TTL_MS = HOUR_MS;

type Links = { appUrl: string };

/**
 * Creates the account and emails it a verification link; when the address already has an account,
 * emails its holder instead. Either way the password is hashed, one email is written and no session
 * is opened, so neither the answer nor its timing tells whether the address is taken.
 */
export async function signUp(db: Database, input: { name: string; email: string; password: string; ip: string }, links: Links) {
  await consumeLimit(db, "signup_ip", input.ip);
  await consumeLimit(db, "signup_email", input.email);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash })
      .onConflictDoNothing()
      .returning();
    if (created) await sendVerification(tx, created, links);
    else await warnAccountHolder(tx, input.email, links);
  });
}

/** Emails the holder a log-in link and a reset link, writing the same rows as a new account's verification. */
async function warnAccountHolder(db: Database, email: string, links: Links) {
  const [holder] = await db.select({ name: users.name }).from(users).where(eq(users.email, email));
  const token = await issueToken(db, eq(users.email, email), "reset_password", RESET_TTL_MS);
  if (!holder || !token) return;
  await enqueueEmail(db, email, "sign_up_attempt", {
    name: holder.name,
    logInUrl: `${links.appUrl}/login`,
    resetUrl: resetUrl(links, token),
  });
}

type TokenPurpose = (typeof userTokenPurpose.enumValues)[number];

/**
 * Retires the user's open tokens of the purpose and stores a new one, for the user the condition
 * picks. Set-based, so the same statements run when it picks no one and a missing account costs the
 * same; returns null then.
 */
async function issueToken(db: Database, user: SQL, purpose: TokenPurpose, ttlMs: number) {
  await db
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        inArray(userTokens.userId, db.select({ id: users.id }).from(users).where(user)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
      ),
    );
  const token = generateToken();
  const [issued] = await db
    .insert(userTokens)
    .select(
      db
        .select({
          id: sql<string>`${hashToken(token)}`.as("id"),
          userId: users.id,
          purpose: sql<TokenPurpose>`${purpose}::${sql.identifier(userTokenPurpose.enumName)}`.as("purpose"),
          expiresAt: sql<Date>`${new Date(Date.now() + ttlMs).toISOString()}::timestamptz`.as("expires_at"),
          usedAt: sql<Date | null>`null`.as("used_at"),
          createdAt: sql<Date>`now()`.as("created_at"),
        })
        .from(users)
        .where(user),
    )
    .returning({ userId: userTokens.userId });
  return issued ? token : null;
}

async function sendVerification(db: Database, user: { id: string; name: string; email: string }, links: Links) {
  const token = await issueToken(db, eq(users.id, user.id), "verify_email", VERIFY_TTL_MS);
  if (!token) return;
  await enqueueEmail(db, user.email, "verify_email", { name: user.name, url: `${links.appUrl}/verify-email?token=${token}` });
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
export async function logIn(db: Database, input: { email: string; password: string; ip: string }) {
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
  const { token, session } = await createSession(db, user.id);
  return { user, sessionToken: token, session };
}

/**
 * Sends a reset link when the account exists and says nothing either way. A missing account runs the
 * same statements and renders the email too, so timing does not tell the two apart; the commit does
 * not wait for the disk (a link lost to a crash is asked for again), since only one case writes.
 */
export async function requestPasswordReset(db: Database, input: { email: string; ip: string }, links: Links) {
  await consumeLimit(db, "reset_ip", input.ip);
  await consumeLimit(db, "reset_account", input.email);
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    const [user] = await tx.select().from(users).where(eq(users.email, input.email));
    const token = await issueToken(tx, eq(users.email, input.email), "reset_password", RESET_TTL_MS);
    if (user && token) await enqueueEmail(tx, user.email, "reset_password", { name: user.name, url: resetUrl(links, token) });
    else await renderEmail("reset_password", { name: "", url: resetUrl(links, generateToken()) });
  });
}

function resetUrl(links: Links, token: string) {
  return `${links.appUrl}/reset-password?token=${token}`;
}

/** Sets the new password, ends every session and opens a fresh one. */
export async function resetPassword(db: Database, input: { token: string; password: string }) {
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
  const { token, session } = await createSession(db, userId);
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
