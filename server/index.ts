import { startApp } from "./app";
import { loadConfigOrExit } from "./boot";
import { createLogger } from "./logger";

const SHUTDOWN_DEADLINE_MS = 10_000;

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const app = await startApp(config, logger);
logger.info({ url: config.APP_URL, database: app.database.engine }, `Switchboard is listening on ${config.APP_URL}`);

let signalled = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => {
        logger.info("stopped cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
