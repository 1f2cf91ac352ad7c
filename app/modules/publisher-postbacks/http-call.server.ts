import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { bareHostname, refusedAs } from "./addresses.server";

/** Every address a hostname resolves to. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type CallSettings = {
  /** The test setting PUBLISHER_POSTBACKS_ALLOW_LOOPBACK: unlocks loopback, nothing else. */
  allowLoopback: boolean;
  /** For the whole call: resolving, connecting and the answer's status line. */
  timeoutMs?: number;
  resolve?: Resolver;
};

export const POSTBACK_TIMEOUT_MS = 5000;

/**
 * One call's outcome. `permanent` is a refusal that no retry can change (a forbidden address, an
 * address that is not a URL we call): the delivery fails at once instead of retrying for a day.
 */
export type CallOutcome = { httpStatus: number | null; error: string | null; delivered: boolean; permanent: boolean; durationMs: number };

const USER_AGENT = "Switchboard-Postback/1";
const LOCATION_SHOWN = 300;

/** Why the URL is not one a postback calls (scheme, credentials), or null. Shared with the form's check. */
export function urlShapeProblem(url: URL): string | null {
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// (or http://) address";
  if (url.username || url.password) return "Leave the user name and password out of the address";
  return null;
}

class Refusal extends Error {}

/**
 * Calls the URL once with a GET, guarding against server-side request forgery: the hostname is
 * resolved once, every address it resolves to is checked, and the connection goes to exactly the
 * checked address (TLS SNI and the Host header still name the hostname), so a DNS answer that
 * changes between check and connect (rebinding) cannot reach a forbidden address. Redirects are
 * not followed: a 3xx is the outcome. Only the status line is read; the body is dropped unread.
 */
export async function callPostbackUrl(target: string, settings: CallSettings): Promise<CallOutcome> {
  const started = performance.now();
  const timeoutMs = settings.timeoutMs ?? POSTBACK_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const outcome = (httpStatus: number | null, error: string | null, permanent = false): CallOutcome => ({
    httpStatus,
    error,
    delivered: httpStatus !== null && httpStatus >= 200 && httpStatus < 300,
    permanent,
    durationMs: Math.round(performance.now() - started),
  });

  const url = URL.parse(target);
  const shape = url ? urlShapeProblem(url) : "The address is not a valid URL";
  if (!url || shape) return outcome(null, `Refused: ${shape}`, true);
  const hostname = bareHostname(url);
  try {
    const { address, family } = await checkedAddress(hostname, settings, deadline);
    const response = await get(url, hostname, { address, family }, deadline);
    response.destroy();
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      const location = (response.headers.location ?? "").slice(0, LOCATION_SHOWN);
      return outcome(status, location ? `Redirect to ${location} not followed` : "Redirect not followed");
    }
    return outcome(status, status >= 200 && status < 300 ? null : `The server answered HTTP ${status}`);
  } catch (error) {
    if (error instanceof Refusal) return outcome(null, `Refused: ${error.message}`, true);
    if (deadline.aborted) return outcome(null, `Timed out after ${timeoutMs / 1000} s`);
    return outcome(null, callError(error, url.host));
  }
}

/** The address to connect to: the literal, or the first the name resolves to, once every one of them passed. */
async function checkedAddress(hostname: string, settings: CallSettings, deadline: AbortSignal) {
  const family = isIP(hostname);
  if (family) {
    const refusal = refusedAs(hostname, settings.allowLoopback);
    if (refusal) throw new Refusal(`${hostname} is ${refusal}`);
    return { address: hostname, family };
  }
  const addresses = await untilAborted((settings.resolve ?? systemResolver)(hostname), deadline);
  if (addresses.length === 0) throw Object.assign(new Error(), { code: "ENOTFOUND" });
  for (const { address } of addresses) {
    const refusal = refusedAs(address, settings.allowLoopback);
    if (refusal) throw new Refusal(`${hostname} resolves to ${address}, ${refusal}`);
  }
  return addresses[0]!;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
    work.then(resolve, reject);
  });
}

function get(url: URL, hostname: string, pinned: { address: string; family: number }, signal: AbortSignal) {
  // Answers every lookup the socket makes with the checked address (as a list when Node asks for all).
  const lookup: LookupFunction = (_name, options, callback) =>
    options.all ? callback(null, [pinned]) : callback(null, pinned.address, pinned.family);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = send({
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: { "user-agent": USER_AGENT, accept: "*/*" },
      agent: false,
      lookup,
      signal,
    });
    request.on("response", resolve);
    request.on("error", reject);
    request.end();
  });
}

/** A failed call in words a publisher can act on. */
function callError(error: unknown, host: string): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Could not resolve ${host}`;
    case "ECONNREFUSED":
      return `Connection refused by ${host}`;
    case "ECONNRESET":
      return `${host} closed the connection`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${host} could not be reached`;
    case "ETIMEDOUT":
      return `${host} did not answer in time`;
    case "EPROTO":
    case "ERR_SSL_WRONG_VERSION_NUMBER":
      return `${host} does not speak HTTPS on this port`;
    default:
      // Node names certificate failures CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_VERIFY_…, ERR_TLS_…
      if (code && (code.includes("CERT") || code.startsWith("UNABLE_TO_") || code.startsWith("ERR_TLS_"))) {
        return `${host}'s HTTPS certificate could not be trusted`;
      }
      return "The call failed before the server answered";
  }
}
