import { DrizzleQueryError } from "drizzle-orm/errors";
import pino from "pino";

/**
 * A failed query's message lists the values it was sent (a password hash, an email address): the log
 * keeps the query and PostgreSQL's reason, never the values.
 */
export function withoutQueryValues(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  const safe = new Error(`Failed query: ${error.query}`, { cause: error.cause });
  safe.stack = error.stack?.replace(error.message, safe.message);
  return safe;
}

export function createLogger(level: string) {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: (error: unknown) => pino.stdSerializers.err(withoutQueryValues(error) as Error) },
  });
}

export type Logger = ReturnType<typeof createLogger>;
