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
  /** Fields of the data staff never see on the failed-jobs page, and that are dropped once the job is done (a password hash). */
  hiddenFields?: readonly string[];
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

/**
 * A sign-up, finished off the request path so its answer and timing do not tell whether the address
 * has an account: creates it, or emails the address's holder. Holds the password's hash, never the
 * password.
 */
export const signUpRequest: JobQueue<{ name: string; email: string; passwordHash: string }> = {
  name: "sign-up-request",
  retryLimit: 7,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 60,
  batchSize: 10,
  hiddenFields: ["passwordHash"],
};

/** A password reset asked for an address, which may have no account: looked up off the request path. */
export const passwordResetRequest: JobQueue<{ email: string }> = {
  name: "password-reset-request",
  retryLimit: 7,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 60,
  batchSize: 10,
};

/** The hourly upkeep: click partitions ahead and expired, unique markers, postback logs, API idempotency records. */
export const trackingMaintenance: JobQueue<Record<string, never>> = {
  name: "tracking-maintenance",
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  expireInSeconds: 600,
  batchSize: 1,
};

/** Fraud screening of the conversions not yet screened, in batches; asked for after postbacks and every minute. */
export const conversionScreening: JobQueue<Record<string, never>> = {
  name: "conversion-screening",
  retryLimit: 5,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 600,
  batchSize: 1,
};

/** Approves, in bounded batches, every pending conversion whose validation period has ended and that is not held. */
export const conversionAutoApproval: JobQueue<Record<string, never>> = {
  name: "conversion-auto-approval",
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  expireInSeconds: 3600,
  batchSize: 1,
};

/** Emails each organization one summary of the conversion changes it has not been told about. */
export const conversionNoticeDigest: JobQueue<Record<string, never>> = {
  name: "conversion-notice-digest",
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 600,
  batchSize: 1,
};

/**
 * One call to a publisher's postback URL. A failed call queues the next attempt itself, on a fixed
 * schedule for 24 hours (postbackRetryDelaySeconds, ADR 0023); pg-boss retries only a job that
 * threw, which is a database failure, not the publisher's server.
 */
export const publisherPostbackDelivery: JobQueue<{ deliveryId: number; attempt?: number }> = {
  name: "publisher-postback-delivery",
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 60,
  batchSize: 20,
};

/** The marketplace's EPC, conversion, approval and reversal rates per offer and merchant, recomputed from real data. */
export const marketplaceSignals: JobQueue<Record<string, never>> = {
  name: "marketplace-signals",
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  expireInSeconds: 1800,
  batchSize: 1,
};

/** Issues last month's invoices for every merchant with unbilled approvals or reversals (the 1st, UTC). */
export const monthlyInvoicing: JobQueue<Record<string, never>> = {
  name: "monthly-invoicing",
  retryLimit: 5,
  retryDelay: 300,
  retryBackoff: true,
  expireInSeconds: 3600,
  batchSize: 1,
};

/** Emails the owners of each merchant whose invoice just went past due, once per invoice. */
export const overdueInvoiceNotices: JobQueue<Record<string, never>> = {
  name: "overdue-invoice-notices",
  retryLimit: 3,
  retryDelay: 300,
  retryBackoff: true,
  expireInSeconds: 600,
  batchSize: 1,
};

/** The monthly payout run: pays every publisher whose available balance reached its threshold. */
export const payoutRun: JobQueue<Record<string, never>> = {
  name: "payout-run",
  retryLimit: 3,
  retryDelay: 300,
  retryBackoff: true,
  expireInSeconds: 1800,
  batchSize: 1,
};

/**
 * Emails one new payout's publisher owners. A run queues one per payout in its own transaction
 * (rendering thousands of emails would hold the run's transaction for minutes).
 */
export const payoutCreatedNotice: JobQueue<{ payoutId: string }> = {
  name: "payout-created-notice",
  retryLimit: 7,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 120,
  batchSize: 20,
};

export const jobQueues = [
  emailDelivery,
  offerIndexing,
  signUpRequest,
  passwordResetRequest,
  trackingMaintenance,
  conversionScreening,
  conversionAutoApproval,
  conversionNoticeDigest,
  publisherPostbackDelivery,
  marketplaceSignals,
  monthlyInvoicing,
  overdueInvoiceNotices,
  payoutRun,
  payoutCreatedNotice,
];

/** The data of a queue's jobs. */
export type JobData<Queue> = Queue extends JobQueue<infer Data> ? Data : never;
