import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received: method, path (with query) and JSON body. */
export type MeilisearchRequest = { method: string; path: string; body: unknown };
type TaskError = { code: string; message: string };

/**
 * The few Meilisearch endpoints the engine writes through, on 127.0.0.1 (no Meilisearch server can
 * be installed here): it records every request, keeps which indexes exist (so creating one twice,
 * or deleting a missing one, fails the task as Meilisearch does) and answers each task as
 * succeeded unless `failWhen` returns an error for the request.
 */
export async function startFakeMeilisearch() {
  const requests: MeilisearchRequest[] = [];
  const indexes = new Set<string>();
  const tasks = new Map<number, { type: string; error: TaskError | null }>();
  let failWhen: (request: MeilisearchRequest) => TaskError | null = () => null;

  function enqueue(type: string, indexUid: string | null, error: TaskError | null) {
    const uid = tasks.size;
    tasks.set(uid, { type, error });
    return { taskUid: uid, indexUid, status: "enqueued", type, enqueuedAt: new Date().toISOString() };
  }

  /** The task a request enqueues, applying its effect on the set of indexes. */
  function handle(request: MeilisearchRequest): { type: string; indexUid: string | null; error: TaskError | null } | null {
    const [, first, uid, rest] = request.path.split("?")[0]!.split("/");
    const forced = failWhen(request);
    if (request.method === "POST" && first === "indexes" && !uid) {
      const created = (request.body as { uid: string }).uid;
      const error =
        forced ?? (indexes.has(created) ? { code: "index_already_exists", message: `Index \`${created}\` already exists.` } : null);
      if (!error) indexes.add(created);
      return { type: "indexCreation", indexUid: created, error };
    }
    if (request.method === "DELETE" && first === "indexes" && uid && !rest) {
      const error = forced ?? (indexes.has(uid) ? null : { code: "index_not_found", message: `Index \`${uid}\` not found.` });
      if (!error) indexes.delete(uid);
      return { type: "indexDeletion", indexUid: uid, error };
    }
    if (request.method === "POST" && first === "swap-indexes") {
      const [a, b] = (request.body as { indexes: [string, string] }[])[0]!.indexes;
      const error = forced ?? (indexes.has(a) && indexes.has(b) ? null : { code: "index_not_found", message: "Indexes not found." });
      return { type: "indexSwap", indexUid: null, error };
    }
    if (first === "indexes" && uid && rest) {
      const error = forced ?? (indexes.has(uid) ? null : { code: "index_not_found", message: `Index \`${uid}\` not found.` });
      const type =
        rest === "settings"
          ? "settingsUpdate"
          : request.method === "POST" && rest === "documents"
            ? "documentAdditionOrUpdate"
            : "documentDeletion";
      return { type, indexUid: uid, error };
    }
    return null;
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const taskMatch = /^\/tasks\/(\d+)$/.exec(req.url ?? "");
      if (req.method === "GET" && taskMatch) {
        const uid = Number(taskMatch[1]);
        const task = tasks.get(uid);
        if (!task) return reply(404, { code: "task_not_found", message: "Task not found.", type: "invalid_request", link: "" });
        return reply(200, {
          uid,
          batchUid: uid,
          indexUid: null,
          status: task.error ? "failed" : "succeeded",
          type: task.type,
          canceledBy: null,
          error: task.error && { ...task.error, type: "invalid_request", link: "" },
          duration: "PT0S",
          enqueuedAt: new Date().toISOString(),
          startedAt: new Date().toISOString(),
          finishedAt: new Date().toISOString(),
        });
      }
      const request = { method: req.method ?? "GET", path: req.url ?? "/", body: raw ? (JSON.parse(raw) as unknown) : null };
      requests.push(request);
      const task = handle(request);
      if (!task)
        return reply(404, { code: "not_implemented_by_fake", message: `${request.method} ${request.path}`, type: "internal", link: "" });
      reply(202, enqueue(task.type, task.indexUid, task.error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    indexes,
    /** Makes the tasks of matching requests fail with this error. */
    failTasks(when: (request: MeilisearchRequest) => TaskError | null) {
      failWhen = when;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
