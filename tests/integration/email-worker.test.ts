import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { emailOutbox } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import type { EmailTransport, OutgoingEmail } from "#emails/transports";
import { deliverDueEmails, MAX_EMAIL_ATTEMPTS, retryDelayMs } from "#emails/worker";
import { createTestDatabase } from "#tests/support/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

/** A transport that records what it was given and fails while `failing` is true. */
function recordingTransport() {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport & { failing: boolean; sent: OutgoingEmail[] } = {
    name: "resend",
    failing: false,
    sent,
    async send(email) {
      if (transport.failing) throw new Error("503 Service Unavailable");
      sent.push(email);
      return `msg_${email.id}`;
    },
  };
  return transport;
}

async function queue(to: string) {
  await enqueueEmail(handle.db, to, "verify_email", { name: "Ada", url: "https://switchboard.test/verify-email?token=abc" });
  const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
  return row!;
}

const makeDue = (id: number) =>
  handle.db
    .update(emailOutbox)
    .set({ nextAttemptAt: new Date(Date.now() - 1000) })
    .where(eq(emailOutbox.id, id));

describe("email outbox worker", () => {
  it("renders the template into html and text and delivers it", async () => {
    const row = await queue("render@example.com");
    expect(row.subject).toBe("Confirm your email address");
    expect(row.html).toContain("https://switchboard.test/verify-email?token=abc");
    expect(row.text).toContain("https://switchboard.test/verify-email?token=abc");
    const transport = recordingTransport();
    await deliverDueEmails(handle.db, transport);
    const [after] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
    expect(after).toMatchObject({ status: "sent", transport: "resend", providerMessageId: `msg_${row.id}`, attempts: 1 });
  });

  it("keeps a failed email, retries it with backoff and gives up visibly after the last attempt", async () => {
    const row = await queue("flaky@example.com");
    const transport = recordingTransport();
    transport.failing = true;
    await deliverDueEmails(handle.db, transport);
    let [after] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
    expect(after).toMatchObject({ status: "pending", attempts: 1, lastError: "503 Service Unavailable" });
    expect(after!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    await deliverDueEmails(handle.db, transport);
    [after] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
    expect(after!.attempts).toBe(1);

    transport.failing = false;
    await makeDue(row.id);
    await deliverDueEmails(handle.db, transport);
    [after] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
    expect(after).toMatchObject({ status: "sent", attempts: 2, lastError: null });

    const doomed = await queue("doomed@example.com");
    transport.failing = true;
    for (let i = 0; i < MAX_EMAIL_ATTEMPTS; i++) {
      await makeDue(doomed.id);
      await deliverDueEmails(handle.db, transport);
    }
    const [dead] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, doomed.id));
    expect(dead).toMatchObject({ status: "failed", attempts: MAX_EMAIL_ATTEMPTS });
  });

  it("backs off exponentially up to an hour", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it("sends each email once when workers run at the same time", async () => {
    for (let i = 0; i < 30; i++) await queue(`bulk-${i}@example.com`);
    const transport = recordingTransport();
    await Promise.all([
      deliverDueEmails(handle.db, transport, 50),
      deliverDueEmails(handle.db, transport, 50),
      deliverDueEmails(handle.db, transport, 50),
    ]);
    const bulk = transport.sent.filter((m) => m.to.startsWith("bulk-"));
    expect(bulk).toHaveLength(30);
    expect(new Set(bulk.map((m) => m.id)).size).toBe(30);
  });

  it("does not queue an email whose transaction rolls back", async () => {
    await handle.db
      .transaction(async (tx) => {
        await enqueueEmail(tx, "rollback@example.com", "verify_email", { name: "Ada", url: "https://x.test" });
        throw new Error("abort");
      })
      .catch(() => undefined);
    expect(await handle.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "rollback@example.com"))).toHaveLength(0);
  });
});
