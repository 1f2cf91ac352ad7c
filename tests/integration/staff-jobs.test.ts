import { eq } from "drizzle-orm";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { connectionExecutor } from "#db/jobs/executors";
import { offerIndexing, signUpRequest } from "#db/jobs/queues";
import { auditLog } from "#db/schema";
import { PostgresOfferSearch } from "#search/postgres";
import { createStaffUser, type StaffActor } from "~/modules/auth/staff.server";
import { listFailedBackgroundJobs, retryBackgroundJob } from "~/modules/moderation/jobs.server";
import { getSystemHealth } from "~/modules/moderation/system.server";
import { createTestDatabase } from "#tests/support/database";

let handle: DatabaseHandle;
let boss: PgBoss;
let staff: StaffActor;
beforeAll(async () => {
  handle = await createTestDatabase();
  boss = new PgBoss({ db: connectionExecutor(handle, () => {}) });
  staff = await createStaffUser(handle.db, { email: "ops@network.example", password: "ops passphrase 12", name: "Ops" });
});
afterAll(() => handle.close());

describe("failed background jobs", () => {
  it("are listed with their queue, attempts and last error, counted on the system view, and retried by staff", async () => {
    const offerId = "00000000-0000-4000-8000-000000000001";
    const id = (await boss.send(offerIndexing.name, { offerId }, { retryLimit: 0 }))!;
    await boss.send(offerIndexing.name, { offerId: "00000000-0000-4000-8000-000000000002" });
    await boss.fetch(offerIndexing.name);
    await boss.fail(offerIndexing.name, id, { message: "engine unavailable" });

    const [failed] = await listFailedBackgroundJobs(handle.db, staff);
    expect(failed).toMatchObject({ id, queue: offerIndexing.name, attempts: 1, lastError: "engine unavailable" });
    expect(failed!.data).toContain(offerId);
    expect(failed!.failedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const health = await getSystemHealth(handle.db, staff, new PostgresOfferSearch(handle.db));
    expect(health.jobsFailed).toBe(1);
    expect(health.jobs.find((q) => q.queue === offerIndexing.name)).toMatchObject({ waiting: 1, failed: 1 });

    await retryBackgroundJob(handle.db, staff, { queue: offerIndexing.name, id });
    expect(await listFailedBackgroundJobs(handle.db, staff)).toEqual([]);
    expect((await boss.getJobById(offerIndexing.name, id))?.state).toBe("retry");
    await expect(retryBackgroundJob(handle.db, staff, { queue: offerIndexing.name, id })).rejects.toMatchObject({ code: "job_not_failed" });
    await expect(retryBackgroundJob(handle.db, staff, { queue: "no such queue!", id })).rejects.toMatchObject({ status: 404 });
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, "job.retried"));
    expect(audit).toMatchObject([{ actorEmail: "ops@network.example", targetId: id, after: { queue: offerIndexing.name } }]);
  });

  it("never show a sign-up's password hash, only the rest of its data", async () => {
    const passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    const id = (await boss.send(signUpRequest.name, { name: "Ada", email: "ada@example.com", passwordHash }, { retryLimit: 0 }))!;
    await boss.fetch(signUpRequest.name);
    await boss.fail(signUpRequest.name, id, { message: "database unavailable" });

    const failed = (await listFailedBackgroundJobs(handle.db, staff)).find((job) => job.id === id);
    expect(failed!.data).toContain("ada@example.com");
    expect(failed!.data).not.toContain(passwordHash);
    expect(JSON.parse(failed!.data)).toMatchObject({ passwordHash: "(hidden)" });
  });
});
