import type { DatabaseHandle } from "#db/client";
import {
  conversionAutoApproval,
  conversionScreening,
  conversionNoticeDigest,
  emailDelivery,
  offerIndexing,
  marketplaceSignals,
  monthlyInvoicing,
  overdueInvoiceNotices,
  passwordResetRequest,
  payoutCreatedNotice,
  payoutRun,
  publisherPostbackDelivery,
  signUpRequest,
  trackingMaintenance,
} from "#db/jobs/queues";
import { startJobRunner } from "#db/jobs/runner";
import { localMailboxTransport, resendTransport } from "#emails/transports";
import { deliverEmails } from "#emails/worker";
import type { OfferSearch } from "#search/types";
import { indexOffers } from "#search/worker";
import type { Config } from "~/config.server";
import { finishSignUps, sendPasswordResets } from "~/modules/auth/account-emails.server";
import { purgeIdempotencyRecords } from "~/modules/api/idempotency.server";
import { forgetOldLoginAddresses } from "~/modules/auth/login-addresses.server";
import { approveDueConversions } from "~/modules/tracking/auto-approval.server";
import { sendPayoutCreatedNotices } from "~/modules/payouts/notify.server";
import { runPayouts } from "~/modules/payouts/run.server";
import { deliverPostbacks } from "~/modules/publisher-postbacks/deliveries.server";
import { refreshMarketplaceSignals } from "~/modules/offers/marketplace-signals.server";
import { maintainTrackingTables } from "~/modules/tracking/click-partitions.server";
import { sendConversionDigests } from "~/modules/tracking/conversion-notices.server";
import { screenConversions } from "~/modules/tracking/fraud-screening.server";
import { issueMonthlyInvoices } from "~/modules/invoices/issuing.server";
import { notifyOverdueInvoices } from "~/modules/invoices/overdue.server";
import type { Logger } from "./logger";

/**
 * The app's background work on pg-boss, each queue's handler and schedule (db/jobs/queues.ts says what
 * each queue is for). Runs in the app process (RUN_WORKERS) or in `npm run worker`; stop() finishes
 * the jobs in flight.
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
    const forgotten = await forgetOldLoginAddresses(database.db, new Date());
    if (forgotten) logger.info({ forgotten }, "forgot log-in addresses past their keeping");
    const purged = await purgeIdempotencyRecords(database.db, new Date());
    if (purged) logger.info({ purged }, "purged API idempotency records older than a day");
    return [];
  });
  await runner.schedule(trackingMaintenance, "7 * * * *", {});
  await runner.work(conversionScreening, async () => {
    const { screened, held } = await screenConversions(database.db, new Date());
    if (held) logger.info({ screened, held }, "fraud screening put conversions on hold");
    return [];
  });
  // Asked for after each new conversion too (at most once a second per process); this catches the rest.
  await runner.schedule(conversionScreening, "* * * * *", {});
  await runner.work(conversionAutoApproval, async () => {
    const { approved } = await approveDueConversions(database.db, new Date());
    if (approved) logger.info({ approved }, "auto-approved conversions");
    return [];
  });
  await runner.schedule(conversionAutoApproval, "*/10 * * * *", {});
  await runner.work(publisherPostbackDelivery, deliverPostbacks(database.db, { allowLoopback: config.PUBLISHER_POSTBACKS_ALLOW_LOOPBACK }));
  await runner.work(marketplaceSignals, async () => {
    logger.info(await refreshMarketplaceSignals(database.db, new Date()), "marketplace signals computed");
    return [];
  });
  await runner.schedule(marketplaceSignals, "23 * * * *", {});
  await runner.work(conversionNoticeDigest, async () => {
    const { organizations, emails } = await sendConversionDigests(database.db, links);
    if (organizations) logger.info({ organizations, emails }, "sent conversion digests");
    return [];
  });
  await runner.schedule(conversionNoticeDigest, "* * * * *", {});
  await runner.work(monthlyInvoicing, async () => {
    logger.info(await issueMonthlyInvoices(database.db, new Date(), links), "issued last month's invoices");
    return [];
  });
  // Cron runs in UTC: just after midnight on the 1st, so last month's bookings are all in.
  await runner.schedule(monthlyInvoicing, "15 0 1 * *", {});
  await runner.work(overdueInvoiceNotices, async () => {
    const { notified } = await notifyOverdueInvoices(database.db, new Date(), links);
    if (notified) logger.info({ notified }, "told merchants of overdue invoices");
    return [];
  });
  await runner.schedule(overdueInvoiceNotices, "30 6 * * *", {});
  await runner.work(payoutRun, async () => {
    const { payouts, skipped } = await runPayouts(database.db, null);
    logger.info({ payouts, skipped: skipped.length }, "monthly payout run");
    return [];
  });
  // The 5th at 06:00 UTC: after the month's invoices are issued and early payments recorded.
  await runner.schedule(payoutRun, "0 6 5 * *", {});
  await runner.work(payoutCreatedNotice, sendPayoutCreatedNotices(database.db, links));
  return runner;
}
