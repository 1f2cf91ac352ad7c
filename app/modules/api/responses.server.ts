import type { z } from "zod";

export type ErrorDetail = { field: string; message: string };

/** Every answer of the API is JSON, never cached. */
export function apiJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** `{ error: { code, message, details? } }` with a stable code. */
export function apiError(
  status: number,
  code: string,
  message: string,
  details?: ErrorDetail[],
  headers?: Record<string, string>,
): Response {
  return apiJson(status, { error: { code, message, ...(details?.length ? { details } : {}) } }, headers);
}

/** The fields that did not pass, by dotted path, and why. */
export function issueDetails(error: z.ZodError, prefix = ""): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: prefix + (issue.path.length ? issue.path.join(".") : "") || "body",
    message: issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}` : issue.message,
  }));
}
