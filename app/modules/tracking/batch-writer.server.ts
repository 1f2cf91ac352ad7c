import { isDataError } from "./data-errors";

type BatchWriterOptions<T> = {
  /** Writes one batch; throws when it could not (the batch stays at the front and is retried). */
  write: (batch: T[]) => Promise<void>;
  /** Items per write: small enough that preparing or writing one pauses requests only briefly. */
  batchSize: number;
  flushEveryMs: number;
  /** Items held while the database is unreachable; past it the oldest are dropped and counted. */
  maxBuffered: number;
  onError: (error: unknown) => void;
};

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Items kept in memory and written in batches off the request path: every `flushEveryMs`, on
 * `flush()`, and on `close()`. A batch that fails stays at the front and is retried with backoff;
 * a batch the database refuses as data (a retry cannot help) is written item by item, and an item
 * it refuses alone is dropped and counted, so one bad item never holds back the rest.
 */
export function createBatchWriter<T>(options: BatchWriterOptions<T>) {
  const buffer: T[] = [];
  let flushing: Promise<void> | null = null;
  let failures = 0;
  let nextRetryAt = 0;
  const stats = { accepted: 0, written: 0, dropped: 0 };

  async function writeEachAlone(batch: T[]) {
    for (const item of batch) {
      try {
        await options.write([item]);
        stats.written++;
      } catch (error) {
        if (!isDataError(error)) throw error;
        stats.dropped++;
        options.onError(error);
      }
    }
  }

  async function writeNext() {
    const batch = buffer.slice(0, options.batchSize);
    try {
      await options.write(batch);
      stats.written += batch.length;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await writeEachAlone(batch);
    }
    buffer.splice(0, batch.length);
  }

  /** Everything buffered, batch by batch, yielding between batches so requests get a turn. */
  async function drain() {
    try {
      while (buffer.length) {
        await writeNext();
        failures = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      failures++;
      nextRetryAt = Date.now() + Math.min(MAX_RETRY_DELAY_MS, options.flushEveryMs * 2 ** failures);
      options.onError(error);
    }
  }

  function flush(): Promise<void> {
    flushing ??= drain().finally(() => (flushing = null));
    return flushing;
  }

  const timer = setInterval(() => {
    if (buffer.length && !flushing && Date.now() >= nextRetryAt) void flush();
  }, options.flushEveryMs);
  timer.unref();

  return {
    add(item: T) {
      stats.accepted++;
      if (buffer.length >= options.maxBuffered) {
        buffer.shift();
        stats.dropped++;
      }
      buffer.push(item);
    },
    /** Waits for what is buffered now to be written (or to fail once). */
    async flush() {
      await flushing;
      await flush();
    },
    get buffered() {
      return buffer.length;
    },
    stats,
    /** Stops the timer and writes what is left, retrying a failed batch a few times. */
    async close() {
      clearInterval(timer);
      await flushing;
      for (let attempt = 0; attempt < 5 && buffer.length; attempt++) {
        await flush();
        if (buffer.length) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    },
  };
}

export type BatchWriter<T> = ReturnType<typeof createBatchWriter<T>>;
