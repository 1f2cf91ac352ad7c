import { parseArgs } from "node:util";
import { openConfiguredDatabase, type DatabaseHandle } from "#db/client";
import { ConfigError, loadConfig, type Config } from "~/config.server";

/** Runs a command-line task against the configured database, with readable failures. */
export async function runTask(task: (db: DatabaseHandle["db"], config: Config) => Promise<void>) {
  let handle: DatabaseHandle | undefined;
  try {
    const config = loadConfig();
    handle = await openConfiguredDatabase({ ...config, MIGRATE_ON_BOOT: true });
    await task(handle.db, config);
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof UsageError ? error.message : error);
    process.exitCode = 1;
  } finally {
    await handle?.close();
  }
}

export class UsageError extends Error {}

export function parseOptions<T extends Record<string, { type: "string" }>>(options: T) {
  return parseArgs({ options, strict: true, allowPositionals: false }).values as { [K in keyof T]?: string };
}
