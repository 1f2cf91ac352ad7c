import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "#db/client";
import { forgetHiddenFields } from "#db/jobs/enqueue";
import { signUpRequest, type JobData, type passwordResetRequest } from "#db/jobs/queues";
import { eachJob, type JobHandler } from "#db/jobs/runner";
import { users, type userTokenPurpose, userTokens } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { generateToken, hashToken } from "./tokens.server";

const HOUR_MS = 60 * 60 * 1000;
const VERIFY_TTL_MS = 48 * HOUR_MS;
const RESET_TTL_MS = HOUR_MS;

export type Links = { appUrl: string };

export type TokenPurpose = (typeof userTokenPurpose.enumValues)[number];

/** Retires the user's open tokens of the purpose and stores a new one. */
async function issueToken(db: Database, userId: string, purpose: TokenPurpose, ttlMs: number) {
  await db
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
  const token = generateToken();
  await db.insert(userTokens).values({ id: hashToken(token), userId, purpose, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

function resetUrl(links: Links, token: string) {
  return `${links.appUrl}/reset-password?token=${token}`;
}

export async function sendVerification(db: Database, user: { id: string; name: string; email: string }, links: Links) {
  const token = await issueToken(db, user.id, "verify_email", VERIFY_TTL_MS);
  await enqueueEmail(db, user.email, "verify_email", { name: user.name, url: `${links.appUrl}/verify-email?token=${token}` });
}

/**
 * The `sign-up-request` handler: creates each account and emails it a verification link or, when the
 * address already has one (or a sign-up for it ran first), emails the holder instead.
 */
export function finishSignUps(db: Database, links: Links): JobHandler<JobData<typeof signUpRequest>> {
  return (jobs) =>
    eachJob(jobs, async (job) => {
      await finishSignUp(db, job.data, links);
      await forgetHiddenFields(db, signUpRequest, job.id);
    });
}

export async function finishSignUp(db: Database, request: JobData<typeof signUpRequest>, links: Links) {
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ name: request.name, email: request.email, passwordHash: request.passwordHash })
      .onConflictDoNothing()
      .returning();
    if (created) await sendVerification(tx, created, links);
    else await warnAccountHolder(tx, request.email, links);
  });
}

/** Emails the holder a log-in link and a reset link, in case it was them and they forgot the password. */
async function warnAccountHolder(db: Database, email: string, links: Links) {
  const [holder] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email));
  if (!holder) throw new Error("The sign-up's address has no account, yet creating one conflicted.");
  const token = await issueToken(db, holder.id, "reset_password", RESET_TTL_MS);
  await enqueueEmail(db, email, "sign_up_attempt", {
    name: holder.name,
    logInUrl: `${links.appUrl}/login`,
    resetUrl: resetUrl(links, token),
  });
}

/** The `password-reset-request` handler: emails a reset link when the address has an account, else does nothing. */
export function sendPasswordResets(db: Database, links: Links): JobHandler<JobData<typeof passwordResetRequest>> {
  return (jobs) => eachJob(jobs, (job) => sendPasswordReset(db, job.data.email, links));
}

async function sendPasswordReset(db: Database, email: string, links: Links) {
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email));
    if (!user) return;
    const token = await issueToken(tx, user.id, "reset_password", RESET_TTL_MS);
    await enqueueEmail(tx, email, "reset_password", { name: user.name, url: resetUrl(links, token) });
  });
}
