import { and, eq, ne } from "drizzle-orm";
import type { Database } from "#db/client";
import { sessions, users } from "#db/schema";
import { generateToken, hashToken } from "./tokens.server";
import { DAY_MS } from "~/lib/time";

export const SESSION_TTL_MS = 30 * DAY_MS;
export const SESSION_COOKIE = "sb_session";

export type SessionUser = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "emailVerifiedAt" | "isStaff">;
type Session = typeof sessions.$inferSelect;
export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean };

export async function createSession(db: Database, userId: string, activeOrganizationId: string | null = null) {
  const token = generateToken();
  const [session] = await db
    .insert(sessions)
    .values({ id: hashToken(token), userId, activeOrganizationId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
    .returning();
  return { token, session: session! };
}

/** Looks the session up by the token's hash; extends it to a full 30 days once past half its life. */
export async function validateSessionToken(db: Database, token: string): Promise<SessionValidation | null> {
  const [row] = await db
    .select({
      session: sessions,
      user: { id: users.id, email: users.email, name: users.name, emailVerifiedAt: users.emailVerifiedAt, isStaff: users.isStaff },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, hashToken(token)));
  if (!row) return null;
  const now = Date.now();
  if (row.session.expiresAt.getTime() <= now) {
    await db.delete(sessions).where(eq(sessions.id, row.session.id));
    return null;
  }
  if (row.session.expiresAt.getTime() - now < SESSION_TTL_MS / 2) {
    const expiresAt = new Date(now + SESSION_TTL_MS);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, row.session.id));
    return { session: { ...row.session, expiresAt }, user: row.user, renewed: true };
  }
  return { ...row, renewed: false };
}

export async function invalidateSession(db: Database, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user, or every one but `keepSessionId`. */
export async function invalidateUserSessions(db: Database, userId: string, keepSessionId?: string) {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}

export async function setActiveOrganization(db: Database, sessionId: string, organizationId: string | null) {
  await db.update(sessions).set({ activeOrganizationId: organizationId }).where(eq(sessions.id, sessionId));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${token}`, "HttpOnly", "SameSite=Lax", "Path=/", `Expires=${expiresAt.toUTCString()}`];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}

export function blankSessionCookie(secure: boolean): string {
  return sessionCookie("", new Date(0), secure).replace(/Expires=[^;]+/, "Max-Age=0");
}

export function readSessionToken(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}
