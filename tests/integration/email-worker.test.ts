import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { emailDelivery } from "#db/jobs/queues";
import { startJobRunner } from "#db/jobs/runner";
import { emailOutbox } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import type { EmailTransport, OutgoingEmail } from "#emails/transports";
import { deliverEmails } from "#emails/worker";
import { createTestDatabase } from "#tests/support/database";
import { makeWaitingJobsDue, runDueJobs } from "#tests/support/jobs";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

/** A transport that records what it was given and refuses the addresses in `refused`. */
function recordingTransport() {
  const sent: OutgoingEmail[] = [];
  const refused = new Set<string>();
  const transport: EmailTransport & { refused: Set<string>; sent: OutgoingEmail[] } = {
    name: "resend",
    refused,
    sent,
    async send(email) {
      if (refused.has(email.to)) throw new Error("503 Service Unavailable");
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

const emailRow = async (id: number) => (await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0]!;

const deliveryJob = async (emailId: number) =>
  (
    await selectRows<{ state: string; retry_limit: number; start_after: string }>(
      handle.db,
      sql`select state::text, retry_limit, start_after::text from pgboss.job where name = ${emailDelivery.name} and (data->>'emailId')::bigint = ${emailId}`,
    )
  )[0]!;

describe("email delivery jobs", () => {
  it("renders the template into html and text, records the email and delivers it through its job", async () => {
    const row = await queue("render@example.com");
    expect(row).toMatchObject({ subject: "Confirm your email address", status: "pending" });
    expect(row.html).toContain("https://switchboard.test/verify-email?token=abc");
    expect(row.text).toContain("https://switchboard.test/verify-email?token=abc");
    const transport = recordingTransport();
    await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport));
    expect(await emailRow(row.id)).toMatchObject({ status: "sent", transport: "resend", providerMessageId: `msg_${row.id}`, attempts: 1 });
    expect((await deliveryJob(row.id)).state).toBe("completed");
  });

  it("retries a failed email with backoff, records each attempt, and gives up visibly after the last one", async () => {
    const row = await queue("flaky@example.com");
    const other = await queue("fine@example.com");
    const transport = recordingTransport();
    transport.refused.add("flaky@example.com");
    await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport));
    expect(await emailRow(row.id)).toMatchObject({ status: "pending", attempts: 1, lastError: "503 Service Unavailable" });
    expect(await emailRow(other.id)).toMatchObject({ status: "sent" });
    const job = await deliveryJob(row.id);
    expect(job.state).toBe("retry");
    expect(new Date(job.start_after).getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport))).toBe(0);

    transport.refused.clear();
    await makeWaitingJobsDue(handle, emailDelivery);
    await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport));
    expect(await emailRow(row.id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });

    const doomed = await queue("doomed@example.com");
    transport.refused.add("doomed@example.com");
    for (let i = 0; i <= emailDelivery.retryLimit; i++) {
      await makeWaitingJobsDue(handle, emailDelivery);
      await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport));
    }
    expect(await emailRow(doomed.id)).toMatchObject({ status: "failed", attempts: emailDelivery.retryLimit + 1 });
    expect((await deliveryJob(doomed.id)).state).toBe("failed");
  });

  it("sends each email once when two workers run at the same time", async () => {
    for (let i = 0; i < 30; i++) await queue(`bulk-${i}@example.com`);
    const transport = recordingTransport();
    const runners = await Promise.all([1, 2].map(() => startJobRunner(handle, (error) => expect.fail(String(error)))));
    await Promise.all(runners.map((runner) => runner.work(emailDelivery, deliverEmails(handle.db, transport))));
    const deadline = Date.now() + 15_000;
    while (transport.sent.filter((m) => m.to.startsWith("bulk-")).length < 30 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(runners.map((runner) => runner.stop()));
    const bulk = transport.sent.filter((m) => m.to.startsWith("bulk-"));
    expect(bulk).toHaveLength(30);
    expect(new Set(bulk.map((m) => m.id)).size).toBe(30);
  });

  it("neither records nor queues an email whose transaction rolls back", async () => {
    await handle.db
      .transaction(async (tx) => {
        await enqueueEmail(tx, "rollback@example.com", "verify_email", { name: "Ada", url: "https://x.test" });
        throw new Error("abort");
      })
      .catch(() => undefined);
    expect(await handle.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "rollback@example.com"))).toHaveLength(0);
    const transport = recordingTransport();
    await runDueJobs(handle, emailDelivery, deliverEmails(handle.db, transport));
    expect(transport.sent).toEqual([]);
  });
});
