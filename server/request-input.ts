import type { IncomingMessage } from "node:http";
import { cleanText } from "~/lib/clean-text";
import { readBodyWithin } from "~/lib/request-body.server";

/** The methods the app answers; anything else (TRACE, CONNECT, WebDAV…) is a 405 before routing. */
const ALLOWED_METHODS = ["GET", "HEAD", "POST"];
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

export type Refusal = { status: number; message: string; headers?: Record<string, string> };

/** A request no route can address: a method the app (or, for the REST API, the API) does not serve, or a Host header that is not a host. */
export function refuseUnaddressable(req: IncomingMessage, allowed: readonly string[] = ALLOWED_METHODS): Refusal | null {
  if (!allowed.includes(req.method ?? "")) {
    return { status: 405, message: "This method is not supported.", headers: { allow: allowed.join(", ") } };
  }
  const host = req.headers.host;
  if (host !== undefined && !isPlainHost(host)) return { status: 400, message: "The Host header is not a valid host name." };
  return null;
}

function isPlainHost(host: string): boolean {
  const url = URL.parse(`http://${host}`);
  return url !== null && url.username === "" && url.password === "" && url.pathname === "/" && url.search === "" && url.hash === "";
}

/**
 * The request as the app's routes get it: query and form fields without control characters (NUL
 * cannot reach PostgreSQL), a body within the size limit, and only the encodings an HTML form
 * sends. Anything else is refused here, once for every route, instead of failing inside one.
 * A mutation must have passed isForeignMutation first.
 */
export async function formRequest(request: Request, maxBodyBytes: number): Promise<Request | Refusal> {
  const url = cleanQuery(new URL(request.url));
  if (request.method === "GET" || request.method === "HEAD") return url === request.url ? request : new Request(url, request);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(type)) {
    return { status: 415, message: "Send forms as application/x-www-form-urlencoded or multipart/form-data." };
  }
  const body = await readBodyWithin(request, maxBodyBytes);
  if (!body) return { status: 413, message: `The request body is larger than ${maxBodyBytes} bytes.`, headers: { connection: "close" } };
  let fields: FormData;
  try {
    fields = await new Response(new Uint8Array(body), { headers: { "content-type": request.headers.get("content-type")! } }).formData();
  } catch {
    return { status: 400, message: "The form data could not be read." };
  }
  const cleaned = type === "multipart/form-data" ? new FormData() : new URLSearchParams();
  for (const [name, value] of fields) {
    if (typeof value === "string") cleaned.append(cleanText(name), cleanText(value));
    else if (cleaned instanceof FormData) cleaned.append(cleanText(name), value);
  }
  // The body is re-encoded, so the client's type (with its multipart boundary) and length no longer apply.
  const headers = new Headers(request.headers);
  headers.delete("content-type");
  headers.delete("content-length");
  // isForeignMutation has already checked the Origin against this site. Remix repeats a host-only
  // version that throws (a 500) when a proxy rewrites Host or a client adds X-Forwarded-Host.
  headers.delete("origin");
  return new Request(url, { method: request.method, headers, body: cleaned, signal: request.signal });
}

function cleanQuery(url: URL): string {
  const params = [...url.searchParams];
  if (params.every(([name, value]) => cleanText(name + value) === name + value)) return url.href;
  url.search = new URLSearchParams(params.map(([name, value]) => [cleanText(name), cleanText(value)])).toString();
  return url.href;
}
