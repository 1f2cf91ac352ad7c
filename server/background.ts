import type { Database } from "#db/client";
import { localMailboxTransport, resendTransport } from "#emails/transports";
import { deliverDueEmails } from "#emails/worker";
import type { OfferSearch } from "#search/types";
import { applySearchOutbox } from "#search/worker";
import type { Config } from "~/config.server";
import type { Logger } from "./logger";

type Job = { name: string; intervalMs: number; run: () => Promise<unknown> };

/**
 * Runs each job on its interval, never two rounds of one job at once. stop() waits for the round in
 * progress and then runs every job once more, so work queued just before shutdown is not left behind.
 */
export function startBackgroundJobs(jobs: Job[], logger: Logger) {
  let stopping = false;
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  const runOnce = (job: Job) => {
    const current = running.get(job.name);
    if (current) return current;
    const round = job
      .run()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, job: job.name }, "background job failed"))
      .finally(() => running.delete(job.name));
    running.set(job.name, round);
    return round;
  };

  for (const job of jobs) {
    const tick = async () => {
      if (stopping) return;
      await runOnce(job);
      if (!stopping) timers.push(setTimeout(tick, job.intervalMs));
    };
    timers.push(setTimeout(tick, 0));
  }

  return {
    async stop() {
      stopping = true;
      timers.forEach(clearTimeout);
      await Promise.all(running.values());
      await Promise.all(jobs.map((job) => runOnce(job)));
    },
  };
}

export function appJobs(db: Database, config: Config, search: OfferSearch): Job[] {
  const transport = config.RESEND_API_KEY ? resendTransport(config.RESEND_API_KEY, config.EMAIL_FROM) : localMailboxTransport;
  return [
    { name: "email", intervalMs: 500, run: () => deliverDueEmails(db, transport) },
    { name: "search", intervalMs: 500, run: () => applySearchOutbox(db, search) },
  ];
}
