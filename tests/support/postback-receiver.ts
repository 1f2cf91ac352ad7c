import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got: its path with the query, parsed query, and headers. */
export type ReceivedCall = { path: string; query: URLSearchParams; headers: IncomingMessage["headers"] };

/** How the receiver answers a request: a status (with headers), or never (to test timeouts). */
export type Answer = { status: number; headers?: Record<string, string> } | "hang";

/**
 * A publisher's tracker on 127.0.0.1, as a test plays it: it records every request and answers
 * with `answer(call)` (200 unless told otherwise). Plain node:http, so Playwright can use it too.
 */
export async function startPostbackReceiver(answer: (call: ReceivedCall) => Answer = () => ({ status: 200 })) {
  const calls: ReceivedCall[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://receiver.invalid");
    const call = { path: `${url.pathname}${url.search}`, query: url.searchParams, headers: request.headers };
    calls.push(call);
    const reply = answer(call);
    if (reply === "hang") {
      hanging.add(response);
      return;
    }
    response.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    calls,
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PostbackReceiver = Awaited<ReturnType<typeof startPostbackReceiver>>;
