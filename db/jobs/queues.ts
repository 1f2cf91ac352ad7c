/**
 * Every queue the app uses, with its retry policy. A queue must be listed here to exist: the
 * migrations create each one (db/jobs/install.ts), and pg-boss silently drops jobs for a queue that
 * does not exist.
 */
export type JobQueue<Data> = {
  name: string;
  /** Retries after the first attempt; a job that runs out stays failed, visible to staff. */
  retryLimit: number;
  /** Seconds before the first retry; with backoff, roughly doubling (with jitter) each time. */
  retryDelay: number;
  retryBackoff: boolean;
  /** How long one batch may run before the job counts as failed and is retried. */
  expireInSeconds: number;
  /** Jobs a worker takes at once. */
  batchSize: number;
  /** Never read: it ties the queue to the type of its jobs' data. */
  data?: Data;
};

/** One email of the `email_messages` table to deliver. */
export const emailDelivery: JobQueue<{ emailId: number }> = {
  name: "email-delivery",
  retryLimit: 7,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 120,
  batchSize: 10,
};

/** One offer to re-index or remove from the search engine. */
export const offerIndexing: JobQueue<{ offerId: string }> = {
  name: "offer-indexing",
  retryLimit: 20,
  retryDelay: 1,
  retryBackoff: true,
  expireInSeconds: 300,
  batchSize: 100,
};

export const jobQueues = [emailDelivery, offerIndexing];

/** The data of a queue's jobs. */
export type JobData<Queue> = Queue extends JobQueue<infer Data> ? Data : never;
