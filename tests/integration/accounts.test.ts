import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { countJobsByQueue } from "#db/jobs/status";
import { selectRows } from "#db/jobs/executors";
import { passwordResetRequest, signUpRequest } from "#db/jobs/queues";
import { loginAddresses, sessions, users } from "#db/schema";
import { finishSignUps, sendPasswordResets } from "~/modules/auth/account-emails.server";
import { changePassword, logIn, requestPasswordReset, resetPassword, signUp, verifyEmail } from "~/modules/auth/accounts.server";
import { slowDownMs } from "~/modules/auth/rate-limit.server";
import { SESSION_TTL_MS, validateSessionToken } from "~/modules/auth/sessions.server";
import { DomainError } from "~/modules/errors.server";
import { action as forgotPasswordAction } from "~/routes/forgot-password";
import { action as signUpAction } from "~/routes/signup";
import { createTestDatabase } from "#tests/support/database";
import { createUser, emailsTo, linkIn, links, PASSWORD, uniqueEmail } from "#tests/support/factories";
import { runDueJobs } from "#tests/support/jobs";
import { postForm } from "#tests/support/routes";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;
const finishQueuedSignUps = (queue = signUpRequest) => runDueJobs(handle, queue, finishSignUps(handle.db, links));
const sendQueuedResets = () => runDueJobs(handle, passwordResetRequest, sendPasswordResets(handle.db, links));

describe("sign up and email verification", () => {
  it("creates an unverified user and a verification email whose link verifies once, and opens no session", async () => {
    const email = uniqueEmail("signup");
    await signUp(handle.db, { name: "Ada", email, password: PASSWORD, ip: "1.1.1.1" });
    expect(await handle.db.select().from(users).where(eq(users.email, email))).toEqual([]);
    expect(await finishQueuedSignUps()).toBe(1);
    const [user] = await handle.db.select().from(users).where(eq(users.email, email));
    expect(user!.emailVerifiedAt).toBeNull();
    expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, user!.id))).toHaveLength(0);
    // The job keeps the address but no longer the hash: pg-boss archives finished jobs with their data.
    const [job] = await selectRows<{ data: Record<string, unknown> }>(
      handle.db,
      sql`select data from pgboss.job where name = ${signUpRequest.name} and data->>'email' = ${email}`,
    );
    expect(Object.keys(job!.data).sort()).toEqual(["email", "name"]);

    const [mail] = await emailsTo(handle.db, email);
    expect(mail?.subject).toBe("Confirm your email address");
    const url = linkIn(mail!.text, `${links.appUrl}/verify-email?token=`);
    await verifyEmail(handle.db, tokenOf(url));
    const [after] = await handle.db.select().from(users).where(eq(users.id, user!.id));
    expect(after!.emailVerifiedAt).toBeInstanceOf(Date);
    await expect(verifyEmail(handle.db, tokenOf(url))).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("answers a taken address exactly like a new one, changes nothing and emails the holder instead", async () => {
    const taken = uniqueEmail("taken");
    const first = await postForm(handle.db, signUpAction, "/signup", { name: "First", email: taken, password: PASSWORD }, "1.1.1.2");
    await finishQueuedSignUps();
    const [holder] = await handle.db.select().from(users).where(eq(users.email, taken));

    const again = await postForm(
      handle.db,
      signUpAction,
      "/signup",
      { name: "Intruder", email: taken, password: "another passphrase" },
      "1.1.1.3",
    );
    const fresh = await postForm(
      handle.db,
      signUpAction,
      "/signup",
      { name: "Newcomer", email: uniqueEmail("new"), password: PASSWORD },
      "1.1.1.4",
    );
    expect(again).toEqual(first);
    expect(again).toEqual(fresh);
    expect(await finishQueuedSignUps()).toBe(2);
    expect(again.status).toBe(200);
    expect(again.headers.some(([name]) => name === "set-cookie")).toBe(false);

    expect(await handle.db.select().from(users).where(eq(users.email, taken))).toEqual([holder]);
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, holder!.id))).toHaveLength(0);
    const mails = await emailsTo(handle.db, taken);
    expect(mails.map((m) => m.template)).toEqual(["verify_email", "sign_up_attempt"]);
    expect(mails[1]!.subject).toBe("Someone tried to sign up with your email address");
    expect(mails[1]!.text).toContain("Hi First");
    const reset = tokenOf(linkIn(mails[1]!.text, `${links.appUrl}/reset-password?token=`));
    await resetPassword(handle.db, { token: reset, password: "the holder's new passphrase", ipHmac: "address-hmac" });
    await expect(
      logIn(handle.db, { email: taken, password: "another passphrase", ip: "1.1.1.3", ipHmac: "address-hmac" }),
    ).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("turns the second of two concurrent sign-ups for a new address into an email to the first, and fails no job", async () => {
    const email = uniqueEmail("race");
    await signUp(handle.db, { name: "Racer One", email, password: PASSWORD, ip: "1.1.1.5" });
    await signUp(handle.db, { name: "Racer Two", email, password: PASSWORD, ip: "1.1.1.6" });
    const oneAtATime = { ...signUpRequest, batchSize: 1 };
    const ran = await Promise.all([finishQueuedSignUps(oneAtATime), finishQueuedSignUps(oneAtATime)]);
    expect(ran[0] + ran[1]).toBe(2);

    const accounts = await handle.db.select().from(users).where(eq(users.email, email));
    expect(accounts).toHaveLength(1);
    const mails = await emailsTo(handle.db, email);
    expect(mails.map((m) => m.template)).toEqual(["verify_email", "sign_up_attempt"]);
    expect(mails[1]!.text).toContain(`Hi ${accounts[0]!.name}`);
    const queue = (await countJobsByQueue(handle.db)).find((q) => q.queue === signUpRequest.name);
    expect(queue).toMatchObject({ waiting: 0, retrying: 0, running: 0, failed: 0 });
  });

  it("limits sign-ups per IP", async () => {
    const attempts = [];
    for (let i = 0; i < 21; i++)
      attempts.push(
        signUp(handle.db, { name: "Bot", email: uniqueEmail("bot"), password: PASSWORD, ip: "6.6.6.6" }).then(
          () => "ok",
          (e: DomainError) => e.code,
        ),
      );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === "ok")).toHaveLength(20);
    expect(results.filter((r) => r === "rate_limited")).toHaveLength(1);
  });

  it("limits sign-ups per address, so its holder cannot be flooded with emails", async () => {
    const email = uniqueEmail("flood");
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(
        await signUp(handle.db, { name: "Bot", email, password: PASSWORD, ip: `6.6.7.${i}` }).then(
          () => "ok",
          (e: DomainError) => e.code,
        ),
      );
    expect(results).toEqual(["ok", "ok", "ok", "ok", "ok", "rate_limited"]);
    await finishQueuedSignUps();
    expect(await emailsTo(handle.db, email)).toHaveLength(5);
  });
});

describe("log in", () => {
  it("opens a session with the right password and refuses a wrong one with one message for both cases", async () => {
    const { user } = await createUser(handle.db);
    const ok = await logIn(handle.db, { email: user.email, password: PASSWORD, ip: "2.2.2.2", ipHmac: "address-hmac" });
    expect(ok.user.id).toBe(user.id);
    const wrong = await logIn(handle.db, { email: user.email, password: "not the password", ip: "2.2.2.2", ipHmac: "address-hmac" }).catch(
      (e) => e,
    );
    const unknown = await logIn(handle.db, {
      email: uniqueEmail("ghost"),
      password: "whatever123",
      ip: "2.2.2.2",
      ipHmac: "address-hmac",
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(DomainError);
    expect(wrong.message).toBe(unknown.message);
  });

  it("stops the guessing IP after 10 wrong passwords but lets the owner in from another IP", async () => {
    const { user } = await createUser(handle.db);
    for (let i = 0; i < 10; i++) {
      await expect(
        logIn(handle.db, { email: user.email, password: "wrong-password", ip: "3.3.3.3", ipHmac: "address-hmac" }),
      ).rejects.toMatchObject({
        code: "invalid_credentials",
      });
    }
    await expect(logIn(handle.db, { email: user.email, password: PASSWORD, ip: "3.3.3.3", ipHmac: "address-hmac" })).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
    });
    const owner = await logIn(handle.db, { email: user.email, password: PASSWORD, ip: "3.3.4.1", ipHmac: "address-hmac" });
    expect(owner.user.id).toBe(user.id);
    await expect(logIn(handle.db, { email: user.email, password: PASSWORD, ip: "3.3.3.3", ipHmac: "address-hmac" })).rejects.toMatchObject({
      code: "rate_limited",
    });
  });

  it("slows an account under attack from many IPs instead of locking it, by a bounded wait", async () => {
    const { user } = await createUser(handle.db);
    for (let i = 0; i < 10; i++) {
      await expect(
        logIn(handle.db, { email: user.email, password: "wrong-password", ip: `3.3.5.${i}`, ipHmac: "address-hmac" }),
      ).rejects.toMatchObject({
        code: "invalid_credentials",
      });
    }
    await expect(logIn(handle.db, { email: user.email, password: PASSWORD, ip: "3.3.6.1", ipHmac: "address-hmac" })).resolves.toMatchObject(
      {
        user: { id: user.id },
      },
    );
    const waits = Array.from({ length: 40 }, (_, failures) => slowDownMs("login_account", failures));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10, 15)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(Math.max(...waits, slowDownMs("login_account", 1_000_000))).toBe(4000);
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
    await requestPasswordReset(handle.db, { email: user.email, ip: "4.4.4.4" });
    expect(await sendQueuedResets()).toBe(1);
    const mail = (await emailsTo(handle.db, user.email)).find((m) => m.template === "reset_password");
    const token = tokenOf(linkIn(mail!.text, `${links.appUrl}/reset-password?token=`));
    const fresh = await resetPassword(handle.db, { token, password: "a brand new passphrase", ipHmac: "reset-address-hmac" });
    expect(await validateSessionToken(handle.db, sessionToken)).toBeNull();
    expect(await validateSessionToken(handle.db, fresh.sessionToken)).not.toBeNull();
    // The reset signs the person in, so fraud screening knows the address like any log-in's.
    const addresses = await handle.db.select().from(loginAddresses).where(eq(loginAddresses.userId, user.id));
    expect(addresses.map((a) => a.ipHmac)).toEqual(["reset-address-hmac"]);
    await expect(
      logIn(handle.db, { email: user.email, password: "a brand new passphrase", ip: "4.4.4.5", ipHmac: "address-hmac" }),
    ).resolves.toBeTruthy();
    await expect(resetPassword(handle.db, { token, password: "another passphrase!", ipHmac: "address-hmac" })).rejects.toMatchObject({
      code: "invalid_token",
    });
  });

  it("answers an unknown address exactly like a known one, queues one job for each and emails only the known one", async () => {
    const { user } = await createUser(handle.db);
    const nobody = uniqueEmail("nobody");
    const known = await postForm(handle.db, forgotPasswordAction, "/forgot-password", { email: user.email }, "4.4.4.6");
    const unknown = await postForm(handle.db, forgotPasswordAction, "/forgot-password", { email: nobody }, "4.4.4.6");
    expect(unknown).toEqual(known);
    expect(unknown.status).toBe(200);
    expect(unknown.headers).toEqual([]);
    expect(await emailsTo(handle.db, user.email)).toHaveLength(1);
    expect(await sendQueuedResets()).toBe(2);
    expect((await emailsTo(handle.db, user.email)).map((m) => m.template)).toContain("reset_password");
    expect(await emailsTo(handle.db, nobody)).toHaveLength(0);
  });

  it("changes the password, keeps this session and ends the others", async () => {
    const { user, session, sessionToken } = await createUser(handle.db);
    const other = await logIn(handle.db, { email: user.email, password: PASSWORD, ip: "5.5.5.5", ipHmac: "address-hmac" });
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
