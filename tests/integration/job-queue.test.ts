import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { enqueueJob, enqueueJobs, retryFailedJob } from "#db/jobs/enqueue";
import { connectionExecutor } from "#db/jobs/executors";
import type { JobQueue } from "#db/jobs/queues";
import { startJobRunner } from "#db/jobs/runner";
import { createTestDatabase } from "#tests/support/database";

let handle: DatabaseHandle;
let boss: PgBoss;
const reported: unknown[] = [];
const queue = (name: string): JobQueue<{ n: number; note?: string }> => ({
  name,
  retryLimit: 0,
  retryDelay: 0,
  retryBackoff: false,
  expireInSeconds: 60,
  batchSize: 10,
});

beforeAll(async () => {
  handle = await createTestDatabase();
  boss = new PgBoss({ db: connectionExecutor(handle, (error) => reported.push(error)), migrate: false, supervise: false, schedule: false });
  await boss.start();
  for (const name of ["contract", "tx", "batch", "stopping", "retried"]) await boss.createQueue(name, { name });
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  await handle.close();
});

const stateOf = async (name: string, id: string) => (await boss.getJobById(name, id))?.state;

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the job queue");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe(`pg-boss on the app's connection (${process.env.DATABASE_URL ? "PostgreSQL server" : "PGlite"})`, () => {
  it("is installed by the migrations, with the app's queues", async () => {
    const rows = await handle.db.execute<{ name: string }>(sql`select name from pgboss.queue order by name`);
    const names = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { name: string }[] }).rows).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["email-delivery", "offer-indexing"]));
  });

  it("sends, fetches, completes and fails jobs, keeping their data as JSON", async () => {
    const id = await boss.send("contract", { n: 1, nested: { text: 'it\'s "quoted"' } });
    const [job] = await boss.fetch<{ n: number; nested: { text: string } }>("contract");
    expect(job).toMatchObject({ id, data: { n: 1, nested: { text: 'it\'s "quoted"' } } });
    await boss.complete("contract", id!);
    expect(await stateOf("contract", id!)).toBe("completed");

    const failing = await boss.send("contract", { n: 2 }, { retryLimit: 0 });
    await boss.fetch("contract");
    await boss.fail("contract", failing!, { message: "engine unavailable" });
    const failed = await boss.getJobById("contract", failing!);
    expect(failed).toMatchObject({ state: "failed", output: { message: "engine unavailable" } });
  });

  it("writes insert()'s batch once, not as a JSON string inside JSON", async () => {
    await enqueueJobs(handle.db, queue("contract"), [{ n: 10 }, { n: 11, note: "two" }]);
    const jobs = await boss.fetch<{ n: number }>("contract", { batchSize: 5 });
    expect(jobs.map((j) => j.data).sort((a, b) => a.n - b.n)).toEqual([{ n: 10 }, { n: 11, note: "two" }]);
  });

  it("enqueues inside the caller's transaction: a rollback enqueues nothing", async () => {
    const committed = await handle.db.transaction((tx) => enqueueJob(tx, queue("tx"), { n: 1 }));
    await expect(
      handle.db.transaction(async (tx) => {
        await enqueueJob(tx, queue("tx"), { n: 2 });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const jobs = await boss.fetch<{ n: number }>("tx", { batchSize: 10 });
    expect(jobs.map((j) => [j.id, j.data.n])).toEqual([[committed, 1]]);
  });

  it("refuses a job for a queue that does not exist instead of dropping it", async () => {
    await expect(enqueueJob(handle.db, queue("no-such-queue"), { n: 1 })).rejects.toThrow("does not exist");
  });

  it("runs multi-statement scripts, and rolls back a failed one so the connection stays usable", async () => {
    const executor = connectionExecutor(handle, () => {});
    await executor.executeSql("begin; create table script_check (n int); insert into script_check values (42); commit;", []);
    expect((await executor.executeSql("select n from script_check", [])).rows).toEqual([{ n: 42 }]);
    await expect(executor.executeSql("begin; select 1; select * from no_such_table; commit;", [])).rejects.toThrow(/no_such_table/);
    const id = await boss.send("contract", { n: 3 });
    expect(id).toBeTruthy();
    await boss.deleteJob("contract", id!);
  });

  it("runs pg-boss's maintenance script: a job that outlives its expiry is failed for a retry", async () => {
    const id = await boss.send("contract", { n: 4 }, { expireInSeconds: 1, retryLimit: 1 });
    await boss.fetch("contract");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await boss.maintain();
    expect(await boss.getJobById("contract", id!)).toMatchObject({
      state: "retry",
      output: { value: { message: "job failed by timeout in active state" } },
    });
    await boss.deleteJob("contract", id!);
  });

  it("keeps a cron schedule with its data", async () => {
    const runner = await startJobRunner(handle, (error) => reported.push(error));
    await runner.schedule(queue("contract"), "0 3 * * *", { n: 5 });
    await runner.stop();
    expect(await boss.getSchedules()).toMatchObject([{ name: "contract", cron: "0 3 * * *", timezone: "UTC", data: { n: 5 } }]);
  });

  it("reports a SQL error even where pg-boss's fetch() swallows it", async () => {
    const errors: unknown[] = [];
    const broken = new PgBoss({ db: connectionExecutor(handle, (error) => errors.push(error)), schema: "no_such_schema" });
    expect(await broken.fetch("contract")).toEqual([]);
    expect(String(errors[0])).toMatch(/no_such_schema/);
  });

  it("fails only the bad job of a batch; the others complete", async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => boss.send("batch", { n })));
    const runner = await startJobRunner(handle, (error) => reported.push(error));
    await runner.work(queue("batch"), async (jobs) =>
      jobs.filter((j) => j.data.n === 2).map((j) => ({ id: j.id, error: new Error(`offer ${j.data.n} is broken`) })),
    );
    await eventually(async () =>
      (await Promise.all(ids.map((id) => stateOf("batch", id!)))).every((s) => s === "completed" || s === "failed"),
    );
    await runner.stop();
    expect(await Promise.all(ids.map((id) => stateOf("batch", id!)))).toEqual(["completed", "failed", "completed"]);
    expect((await boss.getJobById("batch", ids[1]!))?.output).toEqual({ message: "offer 2 is broken" });
  });

  it("retries a failed job on request", async () => {
    const id = await boss.send("retried", { n: 1 }, { retryLimit: 0 });
    await boss.fetch("retried");
    await boss.fail("retried", id!, { message: "first try failed" });
    expect(await retryFailedJob(handle.db, "retried", id!)).toBe(true);
    expect(await retryFailedJob(handle.db, "retried", id!)).toBe(false);
    const [again] = await boss.fetch("retried");
    expect(again?.id).toBe(id);
  });

  it("finishes the job in flight when it stops", async () => {
    const runner = await startJobRunner(handle, (error) => reported.push(error));
    let started = false;
    await runner.work(queue("stopping"), async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return [];
    });
    const id = await boss.send("stopping", { n: 1 });
    await eventually(async () => started);
    await runner.stop();
    expect(await stateOf("stopping", id!)).toBe("completed");
  });

  it("reported no unexpected SQL error", () => {
    expect(reported).toEqual([]);
  });
});
