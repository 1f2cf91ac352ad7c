import type { DatabaseHandle } from "#db/client";
import { emailDelivery, offerIndexing } from "#db/jobs/queues";
import { startJobRunner } from "#db/jobs/runner";
import { localMailboxTransport, resendTransport } from "#emails/transports";
import { deliverEmails } from "#emails/worker";
import type { OfferSearch } from "#search/types";
import { indexOffers } from "#search/worker";
import type { Config } from "~/config.server";
import type { Logger } from "./logger";

/**
 * The app's background work on pg-boss: email delivery and search indexing. Runs in the app process
 * (RUN_WORKERS) or in `npm run worker`; stop() finishes the jobs in flight.
 */
export async function startWorkers(database: DatabaseHandle, config: Config, search: OfferSearch, logger: Logger) {
  const runner = await startJobRunner(database, (error) => logger.error({ err: error }, "background job error"));
  const transport = config.RESEND_API_KEY ? resendTransport(config.RESEND_API_KEY, config.EMAIL_FROM) : localMailboxTransport;
  await runner.work(emailDelivery, deliverEmails(database.db, transport));
  await runner.work(offerIndexing, indexOffers(database.db, search));
  return runner;
}
