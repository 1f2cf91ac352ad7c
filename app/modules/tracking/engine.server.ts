import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database, DatabaseHandle } from "#db/client";
import { listenForNotifications } from "#db/notifications";
import { DomainError, notFound } from "../errors.server";
import type { Tenant } from "../orgs/tenant.server";
import { ensureClickPartitions } from "./click-partitions.server";
import { createBatchWriter } from "./batch-writer.server";
import { addressHmac, writeClicks, type ClickRecorder } from "./click-recorder.server";
import { createClickHandler, linkState, newClick } from "./clicks.server";
import { openCountryLookup } from "./country.server";
import type { TestPostbackInput, TrackingEngine } from "./engine-types";
import { createLinkCache } from "./link-cache.server";
import { createPostbackHandler } from "./postback-http.server";
import { postbackLogEntry, writePostbackLog, type PostbackLogEntry } from "./postback-log.server";
import { createScreeningRequests, requestScreening } from "./fraud-screening.server";
import { createPostbackRecorder, postbackParameters, type RecordPostback } from "./postbacks.server";
import { loadTrackingKeys } from "./tracking-keys.server";

type TrackingEngineOptions = {
  appUrl: string;
  dataDir: string;
  clickSigningKeys?: string;
  ipHmacKey?: string;
  geoipDb?: string;
  onError: (error: unknown, what: string) => void;
};

const CHANGE_CHANNEL = "tracking_cache";
/** Notifications arriving together are applied as one reload. */
const CHANGE_COALESCE_MS = 25;
/** A full reload now and then, in case a notification was lost between reconnects. */
const FULL_RELOAD_MS = 5 * 60 * 1000;

/**
 * The tracking engine of one process: the link cache kept current by change notifications, the
 * click recorder, and the postback recorder. Built once in server/ and shared with Remix through
 * the load context, so there is one buffer and one cache per process.
 */
export async function startTrackingEngine(database: DatabaseHandle, options: TrackingEngineOptions) {
  const keys = loadTrackingKeys({
    CLICK_SIGNING_KEYS: options.clickSigningKeys,
    IP_HMAC_KEY: options.ipHmacKey,
    DATA_DIR: options.dataDir,
  });
  const countryOf = openCountryLookup(options.geoipDb);
  const { db } = database;
  await ensureClickPartitions(db, new Date());

  const cache = createLinkCache(db);
  let pending = new Map<string, Set<string>>();
  let applying: Promise<void> = Promise.resolve();
  let scheduled: ReturnType<typeof setTimeout> | null = null;
  const applyChanges = () => {
    scheduled = null;
    const changes = pending;
    pending = new Map();
    applying = applying.then(() => cache.invalidate(changes)).catch((error) => options.onError(error, "link cache reload"));
  };
  const fullReload = () => {
    applying = applying.then(() => cache.loadAll()).catch((error) => options.onError(error, "link cache reload"));
    return applying;
  };
  const stopListening = await listenForNotifications(
    database,
    CHANGE_CHANNEL,
    (payload) => {
      const split = payload.indexOf(":");
      const table = payload.slice(0, split);
      let ids = pending.get(table);
      if (!ids) pending.set(table, (ids = new Set()));
      ids.add(payload.slice(split + 1));
      scheduled ??= setTimeout(applyChanges, CHANGE_COALESCE_MS);
    },
    () => void fullReload(),
  );
  // Once, after LISTEN is active, so no change falls between; a failure stops the start instead of
  // serving every link as unknown until the next reload.
  try {
    await cache.loadAll();
  } catch (error) {
    await stopListening();
    throw error;
  }
  const reloadTimer = setInterval(() => void fullReload(), FULL_RELOAD_MS);
  reloadTimer.unref();

  const embedded = database.engine === "pglite";
  const recorder: ClickRecorder = createBatchWriter({
    write: (batch) => writeClicks(db, batch, keys.ipKey),
    // Preparing a batch blocks the redirects for a moment, and on PGlite so does writing it (it runs on
    // this thread): batches small enough that each pause stays a few milliseconds.
    batchSize: embedded ? 100 : 500,
    flushEveryMs: 250,
    maxBuffered: 500_000,
    onError: (error) => options.onError(error, "click batch"),
  });
  const log = createBatchWriter<PostbackLogEntry>({
    write: (batch) => writePostbackLog(db, batch),
    batchSize: 500,
    flushEveryMs: 250,
    maxBuffered: 50_000,
    onError: (error) => options.onError(error, "postback log"),
  });
  const screening = createScreeningRequests(db, (error) => options.onError(error, "fraud screening request"));
  const recordConversion = createPostbackRecorder(db, cache, keys.clickKeys);
  // A new conversion waits for fraud screening before it can be approved: ask for a pass soon, off the answer's path.
  const recordPostback: RecordPostback = async (merchantId, parameters, recordOptions) => {
    const result = await recordConversion(merchantId, parameters, recordOptions);
    if (result.outcome === "recorded") screening.request();
    return result;
  };
  const handleClick = createClickHandler({ cache, recorder, clickKeys: keys.clickKeys, countryOf });
  const handlePostback = createPostbackHandler({ cache, recordPostback, log, onError: (error) => options.onError(error, "postback") });
  const linkUrl = (code: string) => `${options.appUrl}/c/${code}`;

  const engine: TrackingEngine = {
    linkUrl,
    ipHmac: (ip) => addressHmac(keys.ipKey, ip),
    async testPostback(requestDb: Database, merchant: Tenant, input: TestPostbackInput) {
      if (merchant.organization.kind !== "merchant") throw notFound("Partnership not found");
      const link = cache.linkByPartnership(input.partnershipId);
      const offer = link ? cache.offer(link.offerId) : undefined;
      if (!link || !offer || offer.merchantId !== merchant.organization.id) throw notFound("Partnership not found");
      if (typeof linkState(link, cache) === "number") {
        throw new DomainError(
          "link_inactive",
          "This partnership's link does not redirect now, so a test click cannot be made.",
          "partnershipId",
        );
      }
      const click = newClick(keys.clickKeys, link, offer, {
        subs: ["test"],
        ip: `test-tool:${randomBytes(8).toString("hex")}`,
        userAgent: "Switchboard test tool",
        referrer: null,
        country: null,
        isBot: false,
      });
      const clickId = click.clickId;
      await writeClicks(requestDb, [click], keys.ipKey);
      const parameters = { click_id: clickId, order_id: input.orderId, amount: input.amount, currency: offer.currency, event: input.event };
      const parsed = postbackParameters.safeParse(parameters);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new DomainError("invalid_parameters", issue.message, issue.path[0] === "order_id" ? "orderId" : String(issue.path[0]));
      }
      const result = await createPostbackRecorder(requestDb, cache, keys.clickKeys)(offer.merchantId, parsed.data, { isTest: true });
      // Screened like a real one, so the merchant can try approving it a moment later; queued within
      // the request (not the postbacks' debounced request), so the request's writes are all it makes.
      if (result.outcome === "recorded") await requestScreening(requestDb);
      const request = { method: "TEST", parameters, authentication: "test_tool" };
      await writePostbackLog(requestDb, [postbackLogEntry(offer.merchantId, request, result)]);
      return { clickId, parameters, answer: { status: result.status, body: result.body } };
    },
  };

  return {
    engine,
    cache,
    recorder,
    log,
    handleClick: (req: IncomingMessage, res: ServerResponse, ip: string) => handleClick(req, res, ip),
    handlePostback,
    /** Waits for pending change notifications to be applied (tests). */
    async settled() {
      if (scheduled) {
        clearTimeout(scheduled);
        applyChanges();
      }
      await applying;
    },
    /** Writes every buffered click and log line; the server calls it after it stops taking requests. */
    async close() {
      clearInterval(reloadTimer);
      if (scheduled) clearTimeout(scheduled);
      await stopListening().catch(() => undefined);
      await Promise.all([recorder.close(), log.close(), screening.close()]);
    },
  };
}

export type StartedTrackingEngine = Awaited<ReturnType<typeof startTrackingEngine>>;
