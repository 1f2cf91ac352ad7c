import type { Database } from "#db/client";
import { retryFailedJob } from "#db/jobs/enqueue";
import { jobQueues } from "#db/jobs/queues";
import { listFailedJobs } from "#db/jobs/status";
import { writeAudit } from "../audit/audit.server";
import type { StaffActor } from "../auth/staff.server";
import { DomainError, notFound } from "../errors.server";

const FAILED_JOBS_SHOWN = 100;

/** Background jobs that failed for good: which queue, how many attempts, the last error and when. */
export async function listFailedBackgroundJobs(db: Database, _staff: StaffActor) {
  return listFailedJobs(db, FAILED_JOBS_SHOWN);
}

/** Puts a failed job back in its queue for one more attempt, and records who did it. */
export async function retryBackgroundJob(db: Database, staff: StaffActor, input: { queue: string; id: string }) {
  // pg-boss refuses a queue name it could not have made; a queue we never declared has no jobs to retry.
  if (!jobQueues.some((queue) => queue.name === input.queue)) throw notFound("Job not found");
  await db.transaction(async (tx) => {
    if (!(await retryFailedJob(tx, input.queue, input.id))) {
      throw new DomainError("job_not_failed", "This job is not failed any more: it may have been retried already.", undefined, 409);
    }
    await writeAudit(tx, staff, { action: "job.retried", targetType: "job", targetId: input.id, after: { queue: input.queue } });
  });
}
