import type { DatabaseHandle } from "#db/client";
import { emailDelivery, offerIndexing, passwordResetRequest, signUpRequest, trackingMaintenance } from "#db/jobs/queues";
import { startJobRunner } from "#db/jobs/runner";
import { localMailboxTransport, resendTransport } from "#emails/transports";
import { deliverEmails } from "#emails/worker";
import type { OfferSearch } from "#search/types";
import { indexOffers } from "#search/worker";
import type { Config } from "~/config.server";
import { finishSignUps, sendPasswordResets } from "~/modules/auth/account-emails.server";
import { maintainTrackingTables } from "~/modules/tracking/click-partitions.server";
import type { Logger } from "./logger";

/**
 * The app's background work on pg-boss: email delivery, search indexing, and the sign-ups and
 * password resets finished off the request path, and the tracking tables' upkeep. Runs in the app process
 * (RUN_WORKERS) or in `npm run worker`; stop() finishes the jobs in flight.
 */
export async function startWorkers(database: DatabaseHandle, config: Config, search: OfferSearch, logger: Logger) {
  const runner = await startJobRunner(database, (error) => logger.error({ err: error }, "background job error"));
  const transport = config.RESEND_API_KEY ? resendTransport(config.RESEND_API_KEY, config.EMAIL_FROM) : localMailboxTransport;
  await runner.work(emailDelivery, deliverEmails(database.db, transport));
  await runner.work(offerIndexing, indexOffers(database.db, search));
  const links = { appUrl: config.APP_URL };
  await runner.work(signUpRequest, finishSignUps(database.db, links));
  await runner.work(passwordResetRequest, sendPasswordResets(database.db, links));
  await runner.work(trackingMaintenance, async () => {
    const { dropped } = await maintainTrackingTables(database.db, new Date(), config.CLICK_RETENTION_DAYS);
    if (dropped.length) logger.info({ dropped }, "dropped expired click partitions");
    return [];
  });
  await runner.schedule(trackingMaintenance, "7 * * * *", {});
  return runner;
}
