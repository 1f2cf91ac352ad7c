import { z } from "zod";
import { API_PAGE_MAX, apiInputs, apiSchemas } from "./schemas";
import { apiOperations, type ApiOperation } from "./operations.server";
import { API_BASE } from "./paths";

type JsonSchema = Record<string, unknown>;

const componentUri = (id: string) => `#/components/schemas/${id}`;

/** Each error code, its status and when it is given: the reference page lists them too. */
export const API_ERROR_CODES = [
  { code: "malformed_json", status: 400, when: "The body is not a JSON object." },
  { code: "invalid_cursor", status: 400, when: "cursor is not a next_cursor this API returned." },
  { code: "idempotency_key_required", status: 400, when: "A POST without an Idempotency-Key header." },
  { code: "invalid_idempotency_key", status: 400, when: "The Idempotency-Key is empty, too long or not printable." },
  { code: "unauthorized", status: 401, when: "No API key, or one that is unknown or revoked." },
  { code: "wrong_organization_kind", status: 403, when: "A merchant endpoint called with a publisher's key, or the other way round." },
  { code: "not_found", status: 404, when: "No such endpoint, or no such resource of your organization (another's is the same)." },
  { code: "method_not_allowed", status: 405, when: "The endpoint does not take the method." },
  { code: "refused", status: 409, when: "The change is not allowed in the resource's state (e.g. approving a rejected conversion)." },
  { code: "idempotency_key_in_use", status: 409, when: "A request with the same Idempotency-Key is still running." },
  { code: "payload_too_large", status: 413, when: "The body is larger than the server's limit." },
  { code: "unsupported_media_type", status: 415, when: "A body that is not application/json." },
  { code: "invalid_input", status: 422, when: "A field did not pass; details names each field and why." },
  { code: "idempotency_key_reused", status: 422, when: "The Idempotency-Key was used with another request." },
  { code: "rate_limited", status: 429, when: "The key used its requests for the window; see Retry-After." },
] as const;

/** The registered schemas as the document's components: answers as written, request bodies as read. */
function components(): Record<string, JsonSchema> {
  const strip = (schemas: Record<string, JsonSchema>) =>
    Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _, id: __, ...schema }]) => [id, schema]));
  const output = z.toJSONSchema(apiSchemas, { uri: componentUri, io: "output", unrepresentable: "any" }).schemas;
  const input = z.toJSONSchema(apiInputs, { uri: componentUri, io: "input", unrepresentable: "any" }).schemas;
  return { ...strip(output as Record<string, JsonSchema>), ...strip(input as Record<string, JsonSchema>) };
}

function schemaRef(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const id = (io === "input" ? apiInputs : apiSchemas).get(schema)?.id;
  if (id) return { $ref: componentUri(id) };
  const { $schema: _, ...inline } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return inline;
}

function parameters(operation: ApiOperation) {
  const of = (schema: z.ZodObject | undefined, place: "path" | "query") => {
    if (!schema) return [];
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, { description, ...schema }]) => ({
      name,
      in: place,
      required: place === "path" || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema,
    }));
  };
  return [...of(operation.params, "path"), ...of(operation.query, "query")];
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: componentUri("Error") } } },
});

const rateLimitHeaders = {
  "RateLimit-Limit": { description: "Requests the key may make in the window.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window starts again.", schema: { type: "integer" } },
};

function operationObject(operation: ApiOperation) {
  const post = operation.method === "POST";
  const codes = API_ERROR_CODES.filter(
    (e) =>
      post ||
      (!e.code.startsWith("idempotency") &&
        (operation.body || !["malformed_json", "payload_too_large", "unsupported_media_type"].includes(e.code))),
  );
  const byStatus = new Map<number, (typeof codes)[number][]>();
  for (const e of codes) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  const idempotencyKey = {
    name: "Idempotency-Key",
    in: "header",
    required: true,
    description: "Unique per intended action: a repeat within 24 hours gets the first answer instead of acting again.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  };
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: operation.sides.map((side) => (side === "merchant" ? "Merchants" : "Publishers")),
    parameters: [...parameters(operation), ...(post ? [idempotencyKey] : [])],
    ...(operation.body
      ? { requestBody: { required: true, content: { "application/json": { schema: schemaRef(operation.body, "input") } } } }
      : {}),
    responses: {
      [operation.status]: {
        description: "Done.",
        headers: rateLimitHeaders,
        content: { "application/json": { schema: schemaRef(operation.response, "output") } },
      },
      ...Object.fromEntries(
        [...byStatus].map(([status, list]) => [status, errorResponse(list.map((e) => `${e.code}: ${e.when}`).join(" "))]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document of /api/v1, made from the operations and the schemas their handlers parse with. */
export function openApiDocument(appUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of apiOperations) {
    (paths[`${API_BASE}${operation.path}`] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard REST API",
      version: "1",
      description: [
        "Authenticate with an organization's API key: `Authorization: Bearer sb_live_…` (owners and admins create keys in the app).",
        "A key acts for its organization only; another organization's resource is not found (404), the same as a missing one.",
        "Each key has a rate limit per minute; every answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, and a 429 carries Retry-After.",
        "Every POST needs an Idempotency-Key: a repeat within 24 hours gets the first answer with its status; the key with another request is refused (422); a repeat while the first runs gets 409.",
        `Lists are paged with a cursor: pass next_cursor as cursor until it is null; limit is at most ${API_PAGE_MAX}.`,
        'Errors are `{ "error": { "code", "message", "details"? } }` with a stable code.',
      ].join("\n\n"),
    },
    servers: [{ url: appUrl }],
    security: [{ apiKey: [] }],
    tags: [{ name: "Merchants" }, { name: "Publishers" }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An organization's API key, sb_live_…" } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
