import PgBoss from "pg-boss";
import type { DatabaseHandle } from "../client";
import { connectionExecutor } from "./executors";
import { jobQueues } from "./queues";

/**
 * Creates or upgrades pg-boss's own schema (`pgboss`, through its migrations) and the app's queues
 * with their current retry policies. Part of every migration run, so a fresh database can take jobs.
 */
export async function installJobQueue(handle: DatabaseHandle) {
  const boss = new PgBoss({
    db: connectionExecutor(handle, () => {}),
    migrate: true,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  for (const { name, retryLimit, retryDelay, retryBackoff, expireInSeconds } of jobQueues) {
    const options = { name, retryLimit, retryDelay, retryBackoff, expireInSeconds };
    await boss.createQueue(name, options);
    await boss.updateQueue(name, options);
  }
  await boss.stop({ graceful: false });
}
