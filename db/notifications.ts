import type { DatabaseHandle } from "./client";

/**
 * LISTEN on a channel, on either database: postgres.js keeps a dedicated connection and calls
 * `onListen` again after it reconnects (notifications sent meanwhile are lost, so the caller should
 * catch up then); PGlite delivers its own NOTIFYs in-process. Returns the function that stops it.
 */
export async function listenForNotifications(
  database: DatabaseHandle,
  channel: string,
  onNotify: (payload: string) => void,
  onListen: () => void,
): Promise<() => Promise<void>> {
  if (database.engine === "postgres") {
    const { unlisten } = await database.client.listen(channel, onNotify, onListen);
    return unlisten;
  }
  const unlisten = await database.client.listen(channel, onNotify);
  onListen();
  return () => unlisten();
}
