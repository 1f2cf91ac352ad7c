import { ConfigError, loadConfig, type Config } from "~/config.server";

/** Reads the configuration, or stops the process with a message that names the bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
