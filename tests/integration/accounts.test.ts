import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { sessions, users } from "#db/schema";
import { changePassword, logIn, requestPasswordReset, resetPassword, signUp, verifyEmail } from "~/modules/auth/accounts.server";
import { SESSION_TTL_MS, validateSessionToken } from "~/modules/auth/sessions.server";
import { DomainError } from "~/modules/errors.server";
import { createTestDatabase } from "#tests/support/database";
import { createUser, emailsTo, linkIn, links, PASSWORD, uniqueEmail } from "#tests/support/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;

describe("sign up and email verification", () => {
  it("creates an unverified user, a session and a verification email whose link verifies once", async () => {
    const email = uniqueEmail("signup");
    const { user, sessionToken } = await signUp(handle.db, { name: "Ada", email, password: PASSWORD, ip: "1.1.1.1" }, links);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await validateSessionToken(handle.db, sessionToken)).not.toBeNull();

    const [mail] = await emailsTo(handle.db, email);
    expect(mail?.subject).toBe("Confirm your email address");
    const url = linkIn(mail!.text, `${links.appUrl}/verify-email?token=`);
    await verifyEmail(handle.db, tokenOf(url));
    const [after] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(after!.emailVerifiedAt).toBeInstanceOf(Date);
    await expect(verifyEmail(handle.db, tokenOf(url))).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("refuses a second account with the same email and writes nothing", async () => {
    const email = uniqueEmail("dup");
    await signUp(handle.db, { name: "First", email, password: PASSWORD, ip: "1.1.1.2" }, links);
    await expect(signUp(handle.db, { name: "Second", email, password: PASSWORD, ip: "1.1.1.2" }, links)).rejects.toMatchObject({
      code: "email_taken",
      field: "email",
    });
    expect(await emailsTo(handle.db, email)).toHaveLength(1);
    expect(await handle.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("limits sign-ups per IP", async () => {
    const attempts = [];
    for (let i = 0; i < 21; i++)
      attempts.push(
        signUp(handle.db, { name: "Bot", email: uniqueEmail("bot"), password: PASSWORD, ip: "6.6.6.6" }, links).then(
          () => "ok",
          (e: DomainError) => e.code,
        ),
      );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === "ok")).toHaveLength(20);
    expect(results.filter((r) => r === "rate_limited")).toHaveLength(1);
  });
});

describe("log in", () => {
  it("opens a session with the right password and refuses a wrong one with one message for both cases", async () => {
    const { user } = await createUser(handle.db);
    const ok = await logIn(handle.db, { email: user.email, password: PASSWORD, ip: "2.2.2.2" });
    expect(ok.user.id).toBe(user.id);
    const wrong = await logIn(handle.db, { email: user.email, password: "not the password", ip: "2.2.2.2" }).catch((e) => e);
    const unknown = await logIn(handle.db, { email: uniqueEmail("ghost"), password: "whatever123", ip: "2.2.2.2" }).catch((e) => e);
    expect(wrong).toBeInstanceOf(DomainError);
    expect(wrong.message).toBe(unknown.message);
  });

  it("locks an account after 10 failed attempts, even with the right password", async () => {
    const { user } = await createUser(handle.db);
    for (let i = 0; i < 10; i++) {
      await expect(logIn(handle.db, { email: user.email, password: "wrong-password", ip: `3.3.3.${i}` })).rejects.toMatchObject({
        code: "invalid_credentials",
      });
    }
    await expect(logIn(handle.db, { email: user.email, password: PASSWORD, ip: "3.3.4.1" })).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
    });
  });
});

describe("sessions", () => {
  it("renews a session past half its life and deletes an expired one", async () => {
    const { session, sessionToken } = await createUser(handle.db);
    const soon = new Date(Date.now() + SESSION_TTL_MS / 2 - 60_000);
    await handle.db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, session.id));
    const renewed = await validateSessionToken(handle.db, sessionToken);
    expect(renewed?.renewed).toBe(true);
    expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_TTL_MS - 60_000);

    await handle.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, session.id));
    expect(await validateSessionToken(handle.db, sessionToken)).toBeNull();
    expect(await handle.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
  });

  it("stores only the token's hash", async () => {
    const { session, sessionToken } = await createUser(handle.db);
    expect(session.id).not.toBe(sessionToken);
    expect(session.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("password reset and change", () => {
  it("resets with a single-use link and ends every existing session", async () => {
    const { user, sessionToken } = await createUser(handle.db);
    await requestPasswordReset(handle.db, { email: user.email, ip: "4.4.4.4" }, links);
    const mail = (await emailsTo(handle.db, user.email)).find((m) => m.template === "reset_password");
    const token = tokenOf(linkIn(mail!.text, `${links.appUrl}/reset-password?token=`));
    const fresh = await resetPassword(handle.db, { token, password: "a brand new passphrase" });
    expect(await validateSessionToken(handle.db, sessionToken)).toBeNull();
    expect(await validateSessionToken(handle.db, fresh.sessionToken)).not.toBeNull();
    await expect(logIn(handle.db, { email: user.email, password: "a brand new passphrase", ip: "4.4.4.5" })).resolves.toBeTruthy();
    await expect(resetPassword(handle.db, { token, password: "another passphrase!" })).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("says nothing about unknown addresses", async () => {
    const email = uniqueEmail("nobody");
    await expect(requestPasswordReset(handle.db, { email, ip: "4.4.4.6" }, links)).resolves.toBeUndefined();
    expect(await emailsTo(handle.db, email)).toHaveLength(0);
  });

  it("changes the password, keeps this session and ends the others", async () => {
    const { user, session, sessionToken } = await createUser(handle.db);
    const other = await logIn(handle.db, { email: user.email, password: PASSWORD, ip: "5.5.5.5" });
    await expect(
      changePassword(handle.db, {
        userId: user.id,
        sessionId: session.id,
        currentPassword: "wrong one",
        newPassword: "new passphrase 123",
        ip: "5.5.5.5",
      }),
    ).rejects.toMatchObject({ field: "currentPassword" });
    await changePassword(handle.db, {
      userId: user.id,
      sessionId: session.id,
      currentPassword: PASSWORD,
      newPassword: "new passphrase 123",
      ip: "5.5.5.5",
    });
    expect(await validateSessionToken(handle.db, sessionToken)).not.toBeNull();
    expect(await validateSessionToken(handle.db, other.sessionToken)).toBeNull();
  });
});
