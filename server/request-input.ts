import type { IncomingMessage } from "node:http";

/** The methods the app answers; anything else (TRACE, CONNECT, WebDAV…) is a 405 before routing. */
const ALLOWED_METHODS = ["GET", "HEAD", "POST"];
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
/** C0 controls and DEL, except tab, line feed and carriage return, which text areas legitimately hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export type Refusal = { status: number; message: string; headers?: Record<string, string> };

/** A request no route can address: a method the app does not serve, or a Host header that is not a host. */
export function refuseUnaddressable(req: IncomingMessage): Refusal | null {
  if (!ALLOWED_METHODS.includes(req.method ?? "")) {
    return { status: 405, message: "This method is not supported.", headers: { allow: ALLOWED_METHODS.join(", ") } };
  }
  const host = req.headers.host;
  if (host !== undefined && !isPlainHost(host)) return { status: 400, message: "The Host header is not a valid host name." };
  return null;
}

function isPlainHost(host: string): boolean {
  const url = URL.parse(`http://${host}`);
  return url !== null && url.username === "" && url.password === "" && url.pathname === "/" && url.search === "" && url.hash === "";
}

function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "");
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
  const body = await readWithin(request, maxBodyBytes);
  if (!body) return { status: 413, message: `The request body is larger than ${maxBodyBytes} bytes.`, headers: { connection: "close" } };
  let fields: FormData;
  try {
    fields = await new Response(new Uint8Array(body), { headers: { "content-type": request.headers.get("content-type")! } }).formData();
  } catch {
    return { status: 400, message: "The form data could not be read." };
  }
  const cleaned = type === "multipart/form-data" ? new FormData() : new URLSearchParams();
  for (const [name, value] of fields) {
    if (typeof value === "string") cleaned.append(withoutControlCharacters(name), withoutControlCharacters(value));
    else if (cleaned instanceof FormData) cleaned.append(withoutControlCharacters(name), value);
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
  if (params.every(([name, value]) => withoutControlCharacters(name + value) === name + value)) return url.href;
  url.search = new URLSearchParams(
    params.map(([name, value]) => [withoutControlCharacters(name), withoutControlCharacters(value)]),
  ).toString();
  return url.href;
}

/** The whole body, or null as soon as it is larger than the limit (declared or actual). */
async function readWithin(request: Request, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}
