import type { DatabaseHandle } from "./client";

/**
 * LISTEN on a channel, on either database, active when this resolves: postgres.js keeps a dedicated
 * connection and, after it reconnects, calls `onRelisten` (notifications sent meanwhile are lost, so
 * the caller catches up then); PGlite delivers its own NOTIFYs in-process and never reconnects.
 * Returns the function that stops it.
 */
export async function listenForNotifications(
  database: DatabaseHandle,
  channel: string,
  onNotify: (payload: string) => void,
  onRelisten: () => void,
): Promise<() => Promise<void>> {
  if (database.engine === "postgres") {
    // postgres.js calls this on the first LISTEN too; the caller loads after this resolves instead.
    let listened = false;
    const { unlisten } = await database.client.listen(channel, onNotify, () => {
      if (listened) onRelisten();
      listened = true;
    });
    return unlisten;
  }
  const unlisten = await database.client.listen(channel, onNotify);
  return () => unlisten();
}
