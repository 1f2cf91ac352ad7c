import { openConfiguredDatabase } from "#db/client";
import { createOfferSearch } from "#search/engine";
import { loadConfigOrExit } from "./boot";
import { createLogger } from "./logger";
import { startWorkers } from "./workers";

// Background work without the HTTP server, for deployments that scale workers separately.
const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error("DATABASE_URL: a separate worker needs a PostgreSQL server; the embedded database runs its work in the app process.");
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);
const database = await openConfiguredDatabase(config);
const search = createOfferSearch(database.db, config);
await search.setup();
const workers = await startWorkers(database, config, search, logger);
logger.info("worker started");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, "stopping: finishing the jobs in flight");
    await workers.stop();
    await database.close();
    process.exit(0);
  });
}
