import { cleanText } from "~/lib/clean-text";
import { readBodyWithin } from "~/lib/request-body.server";
import { hashToken } from "../auth/tokens.server";
import type { LinkCache } from "./link-cache.server";
import { postbackLogEntry, type PostbackLogEntry } from "./postback-log.server";
import { SIGNATURE_HEADER, verifyPostbackSignature } from "./postback-signature";
import { postbackError, postbackParameters, type PostbackAnswer, type RecordPostback } from "./postbacks.server";

/** A postback is a handful of parameters; anything larger is not one. */
const POSTBACK_MAX_BODY_BYTES = 16 * 1024;
const LOGGED_VALUE_MAX_LENGTH = 200;

type Deps = {
  cache: LinkCache;
  recordPostback: RecordPostback;
  log: { add(entry: PostbackLogEntry): void };
  onError: (error: unknown) => void;
};
type Authenticated = { merchantId: string; authentication: "token" | "signature" };

/**
 * `GET` or `POST /postback`, server to server: read the parameters (query, form or JSON body),
 * authenticate the merchant by token or signature, record, answer JSON, and log the exchange.
 */
export function createPostbackHandler({ cache, recordPostback, log, onError }: Deps) {
  return async function handlePostback(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "POST") {
      return json(postbackError(405, "method_not_allowed", "Send the postback with GET or POST."), { allow: "GET, POST" });
    }
    const read = await readParameters(request, url);
    if ("status" in read) return json(read);
    const { parameters, signedPayload, unsignedQuery } = read;

    const authenticated = authenticate(request, parameters, signedPayload, unsignedQuery);
    let result: PostbackAnswer;
    if ("status" in authenticated) result = authenticated;
    else {
      const parsed = postbackParameters.safeParse(parameters);
      result = parsed.success
        ? await recordPostback(authenticated.merchantId, parsed.data, { isTest: false }).catch((error: unknown) => {
            // The merchant's server gets JSON it can retry on, and the log says so; the error goes to ours.
            onError(error);
            return postbackError(503, "temporarily_unavailable", "The postback could not be recorded just now; send it again.");
          })
        : postbackError(400, "invalid_parameters", parsed.error.issues.map((issue) => issue.message).join("; "));
    }
    const merchantId = "merchantId" in authenticated ? authenticated.merchantId : null;
    if (merchantId) {
      const authentication = "authentication" in authenticated ? authenticated.authentication : "refused";
      log.add(postbackLogEntry(merchantId, { method: request.method, parameters: loggable(parameters), authentication }, result));
    }
    return json(result);
  };

  function authenticate(
    request: Request,
    parameters: Record<string, string>,
    signedPayload: string,
    unsignedQuery: boolean,
  ): Authenticated | (PostbackAnswer & { merchantId?: string }) {
    if (parameters.token) {
      const merchantId = cache.merchantForTokenHash(hashToken(parameters.token));
      if (!merchantId) return postbackError(401, "invalid_token", "The postback token is not valid: copy it from your integration page.");
      return { merchantId, authentication: "token" };
    }
    const header = request.headers.get(SIGNATURE_HEADER);
    if (!header)
      return postbackError(401, "unauthenticated", `Send your postback token as token=…, or sign the request (${SIGNATURE_HEADER}).`);
    if (unsignedQuery) {
      return postbackError(
        400,
        "unsigned_parameters",
        "A signed POST carries every parameter in its body: the query string is not signed.",
      );
    }
    const merchantId = parameters.merchant ?? "";
    const secret = cache.signingSecret(merchantId);
    if (!secret)
      return postbackError(401, "invalid_signature", "A signed postback names its merchant (merchant=…) and is signed with its secret.");
    const verdict = verifyPostbackSignature(header, secret, signedPayload, Math.floor(Date.now() / 1000));
    if (verdict === "valid") return { merchantId, authentication: "signature" };
    const refused =
      verdict === "stale"
        ? postbackError(
            401,
            "stale_signature",
            "The signature's timestamp is more than 5 minutes from now: sign each request when you send it.",
          )
        : postbackError(
            401,
            "invalid_signature",
            "The signature does not match the request: sign `<timestamp>.<raw body>` with your secret.",
          );
    return { ...refused, merchantId };
  }
}

/** `unsignedQuery`: a POST that also has query parameters, which its body's signature does not cover. */
type Parameters = { parameters: Record<string, string>; signedPayload: string; unsignedQuery: boolean };

async function readParameters(request: Request, url: URL): Promise<Parameters | PostbackAnswer> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) parameters[cleanText(name)] = cleanText(value);
  if (request.method === "GET") return { parameters, signedPayload: url.search.slice(1), unsignedQuery: false };

  const raw = await readBodyWithin(request, POSTBACK_MAX_BODY_BYTES);
  if (!raw) return postbackError(413, "body_too_large", `A postback body may hold at most ${POSTBACK_MAX_BODY_BYTES / 1024} KB.`);
  const body = raw.toString("utf8");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let fields: Record<string, string>;
  if (type === "application/x-www-form-urlencoded" || (type === "" && body === "")) {
    fields = Object.fromEntries(new URLSearchParams(body));
  } else if (type === "application/json") {
    const parsed = parseJsonObject(body);
    if (!parsed) return postbackError(400, "malformed_body", "The body is not a JSON object of strings and numbers.");
    fields = parsed;
  } else {
    return postbackError(415, "unsupported_media_type", "Send form fields (application/x-www-form-urlencoded) or JSON.");
  }
  for (const [name, value] of Object.entries(fields)) parameters[cleanText(name)] = cleanText(value);
  return { parameters, signedPayload: body, unsignedQuery: url.search.length > 1 };
}

function parseJsonObject(body: string): Record<string, string> | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const parameters: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (typeof field === "string") parameters[name] = field;
    else if (typeof field === "number" && Number.isFinite(field)) parameters[name] = String(field);
    else if (field !== null) return null;
  }
  return parameters;
}

/** What the log keeps of the parameters: never the token, and no value longer than a line. */
function loggable(parameters: Record<string, string>) {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters).slice(0, 30)) {
    kept[name.slice(0, 40)] = name === "token" ? `${value.slice(0, 8)}…` : value.slice(0, LOGGED_VALUE_MAX_LENGTH);
  }
  return kept;
}

function json(result: PostbackAnswer, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}
