import { runTask } from "../scripts/cli";

// Opening the configured database applies every pending migration.
await runTask(async (_db, config) => {
  console.log(`Migrations applied to ${config.DATABASE_URL ? "the DATABASE_URL server" : config.DATA_DIR}.`);
});
