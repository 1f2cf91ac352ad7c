import { API_ERROR_CODES, openApiDocument } from "./openapi.server";
import { API_BASE } from "./paths";

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  description?: string;
  anyOf?: Schema[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  default?: unknown;
};
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Schema };
type OperationObject = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: Schema } } }>;
};

/** A schema as one short line: its type, and its limits or choices. */
function typeOf(schema: Schema): string {
  if (schema.$ref) return schema.$ref.split("/").at(-1)!;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" or ");
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "value");
  const limits = [
    schema.format,
    schema.maxLength !== undefined ? `at most ${schema.maxLength} characters` : null,
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : null,
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : null,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : null,
  ].filter(Boolean);
  return limits.length ? `${type} (${limits.join(", ")})` : type;
}

function fieldsOf(schema: Schema) {
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    type: typeOf(field),
    required: (schema.required ?? []).includes(name),
    description: field.description ?? null,
  }));
}

/** The reference page's content, read from the OpenAPI document itself: what the page shows is what is served. */
export function apiReference(appUrl: string) {
  const document = openApiDocument(appUrl);
  const components = document.components.schemas as Record<string, Schema>;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, OperationObject>).map(([method, op]) => {
      const success = Object.entries(op.responses).find(([status]) => status.startsWith("2"))!;
      const bodyRef = op.requestBody?.content["application/json"].schema.$ref;
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description,
        audience: op.tags.join(", "),
        parameters: op.parameters.map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required,
          type: typeOf(p.schema),
          description: p.description ?? null,
        })),
        body: bodyRef ? { name: bodyRef.split("/").at(-1)!, fields: fieldsOf(components[bodyRef.split("/").at(-1)!]!) } : null,
        response: { status: success[0], type: typeOf(success[1].content!["application/json"].schema) },
        errors: Object.entries(op.responses)
          .filter(([status]) => !status.startsWith("2"))
          .map(([status]) => status),
      };
    }),
  );
  const schemas = Object.entries(components)
    .filter(([, schema]) => schema.properties)
    .map(([name, schema]) => ({ name, fields: fieldsOf(schema) }));
  return {
    intro: document.info.description.split("\n\n"),
    baseUrl: `${appUrl}${API_BASE}`,
    operations,
    schemas,
    errorCodes: API_ERROR_CODES,
  };
}
