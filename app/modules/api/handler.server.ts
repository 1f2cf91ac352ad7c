import { createHash } from "node:crypto";
import type { z } from "zod";
import type { Database } from "#db/client";
import { readBodyWithin } from "~/lib/request-body.server";
import { consumeMetered, type LimitWindow, type MeteredLimit } from "../auth/rate-limit.server";
import { DomainError } from "../errors.server";
import { claimIdempotencyKey, recordIdempotentAnswer, releaseIdempotencyKey } from "./idempotency.server";
import { authenticateApiKey, type ApiKeyTenant } from "./keys.server";
import { openApiDocument, type OpenApiDocument } from "./openapi.server";
import { apiOperations, type ApiContext, type ApiOperation } from "./operations.server";
import { API_BASE } from "./paths";
import { apiError, apiJson, issueDetails } from "./responses.server";

/** The REST API's methods: the app's pages take only GET, HEAD and POST. */
export const API_METHODS = ["GET", "HEAD", "POST", "PATCH"];
const IDEMPOTENCY_KEY_MAX = 255;

export type ApiHandlerOptions = {
  db: Database;
  links: ApiContext["links"];
  maxBodyBytes: number;
  /** The per-key window; the api_key policy's unless a test asks for a small one. */
  rateLimit?: LimitWindow;
  onError?: (error: unknown) => void;
};

type Route = { operation: ApiOperation; params: Record<string, string> };

const templates = apiOperations.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
}));

/** The operations at the path (any method), with the path's parameters. */
function routesAt(path: string): Route[] {
  return templates.flatMap(({ operation, pattern }) => {
    const match = pattern.exec(path);
    return match ? [{ operation, params: { ...match.groups } }] : [];
  });
}

function rateLimitHeaders(limit: MeteredLimit): Record<string, string> {
  return {
    "ratelimit-limit": String(limit.limit),
    "ratelimit-remaining": String(limit.remaining),
    "ratelimit-reset": String(limit.resetSeconds),
  };
}

/** A malformed or invalid input, already answered. */
class InputRefused extends Error {
  constructor(readonly response: Response) {
    super("input refused");
  }
}

function parsed<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.output<T> {
  const read = schema.safeParse(value);
  if (read.success) return read.data;
  throw new InputRefused(apiError(422, "invalid_input", "Some of the input is not valid.", issueDetails(read.error, prefix)));
}

async function readJsonBody(request: Request, maxBodyBytes: number): Promise<{ text: string; value: unknown }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const raw = await readBodyWithin(request, maxBodyBytes);
  if (!raw) throw new InputRefused(apiError(413, "payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`));
  const text = raw.toString("utf8");
  if (text.trim() === "") return { text, value: {} };
  if (type !== "application/json") throw new InputRefused(apiError(415, "unsupported_media_type", "Send the body as application/json."));
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return { text, value };
  } catch {
    throw new InputRefused(apiError(400, "malformed_json", "The body is not a JSON object."));
  }
}

/**
 * /api/v1: the key's tenant, its rate limit, the operation, its input, the idempotency of a POST,
 * then the operation's one domain call. Every answer is JSON; domain refusals keep their codes.
 */
export function createApiHandler(options: ApiHandlerOptions) {
  const { db, links, maxBodyBytes } = options;
  // Built on the first request for it: it only changes with the code.
  let apiDocument: OpenApiDocument | undefined;

  return async function handleApiRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(API_BASE.length) || "/";
    if (path === "/openapi.json" && request.method === "GET") return apiJson(200, (apiDocument ??= openApiDocument(links.appUrl)));

    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const tenant = bearer ? await authenticateApiKey(db, bearer) : null;
    if (!tenant) {
      const message = bearer ? "The API key is unknown or revoked." : "Send an API key: Authorization: Bearer sb_live_…";
      return apiError(401, "unauthorized", message, undefined, { "www-authenticate": "Bearer" });
    }
    const limit = await consumeMetered(db, "api_key", tenant.apiKeyId, options.rateLimit);
    const headers = rateLimitHeaders(limit);
    if (!limit.allowed) {
      return apiError(429, "rate_limited", `Too many requests for this key. Try again in ${limit.resetSeconds} s.`, undefined, {
        ...headers,
        "retry-after": String(limit.resetSeconds),
      });
    }
    const answer = await answerFor(request, path, tenant);
    for (const [name, value] of Object.entries(headers)) answer.headers.set(name, value);
    return answer;
  };

  async function answerFor(request: Request, path: string, tenant: ApiKeyTenant): Promise<Response> {
    const routes = routesAt(path);
    if (!routes.length) return apiError(404, "not_found", "There is no such endpoint.");
    const route = routes.find((r) => r.operation.method === request.method);
    if (!route) {
      return apiError(405, "method_not_allowed", "This endpoint does not take that method.", undefined, {
        allow: routes.map((r) => r.operation.method).join(", "),
      });
    }
    const { operation } = route;
    if (!operation.sides.includes(tenant.organization.kind)) {
      return apiError(403, "wrong_organization_kind", `This endpoint is for ${operation.sides.join(" and ")} keys.`);
    }
    try {
      // A malformed id names nothing: the same 404 as an id that does not exist.
      const params = operation.params ? operation.params.safeParse(route.params) : null;
      if (params && !params.success) return apiError(404, "not_found", "Not found");
      const query = operation.query ? parsed(operation.query, Object.fromEntries(new URL(request.url).searchParams), "query.") : {};
      const body = request.method === "GET" ? { text: "", value: {} } : await readJsonBody(request, maxBodyBytes);
      const input = { params: params?.data ?? {}, query, body: operation.body ? parsed(operation.body, body.value, "") : {} } as never;
      if (request.method !== "POST") return await run(operation, tenant, input);
      return await runOnce(request, path, body.text, operation, tenant, input);
    } catch (error) {
      if (error instanceof InputRefused) return error.response;
      throw error;
    }
  }

  /** The operation's answer: its result, or the domain's refusal with its code and field. */
  async function run(operation: ApiOperation, tenant: ApiKeyTenant, input: never): Promise<Response> {
    try {
      return apiJson(operation.status, await operation.run({ db, tenant, links }, input));
    } catch (error) {
      if (error instanceof DomainError) {
        return apiError(
          error.status,
          error.code,
          error.message,
          error.field ? [{ field: error.field, message: error.message }] : undefined,
        );
      }
      options.onError?.(error);
      return apiError(500, "internal_error", "Something went wrong on our side.");
    }
  }

  /**
   * A POST runs once per Idempotency-Key: a repeat gets the first answer (status and body), the key
   * with another request is refused, and a repeat while the first still runs is told to wait.
   */
  async function runOnce(request: Request, path: string, bodyText: string, operation: ApiOperation, tenant: ApiKeyTenant, input: never) {
    const key = request.headers.get("idempotency-key");
    if (key === null) return apiError(400, "idempotency_key_required", "Send an Idempotency-Key header with every POST.");
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(key)) {
      return apiError(400, "invalid_idempotency_key", `The Idempotency-Key is 1 to ${IDEMPOTENCY_KEY_MAX} printable characters.`);
    }
    const requestHash = createHash("sha256").update(`${request.method} ${path}\n${bodyText}`).digest("hex");
    const claim = await claimIdempotencyKey(db, tenant.apiKeyId, key, requestHash);
    if (claim.kind === "replay") return apiJson(claim.status, claim.body, { "idempotent-replayed": "true" });
    if (claim.kind === "different_request") {
      return apiError(422, "idempotency_key_reused", "This Idempotency-Key was used with another request.");
    }
    if (claim.kind === "in_flight") return apiError(409, "idempotency_key_in_use", "A request with this Idempotency-Key is still running.");
    const answer = await run(operation, tenant, input);
    if (answer.status >= 500) {
      await releaseIdempotencyKey(db, tenant.apiKeyId, key);
      return answer;
    }
    await recordIdempotentAnswer(db, tenant.apiKeyId, key, answer.status, await answer.clone().json());
    return answer;
  }
}
