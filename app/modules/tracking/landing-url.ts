/*
 * Where a click lands. The offer's landing URL is compiled once per offer (when the link cache loads
 * it) into literal parts and macro slots, so a click only concatenates. Publisher deep links are
 * checked against the offer's domains by the WHATWG URL parser, the same one a browser follows.
 */

import { wellFormed } from "~/lib/clean-text";

/** The longest sub id kept; the link builder refuses longer ones. */
export const SUB_MAX_LENGTH = 255;
/** As long as a URL field of the offer form (app/lib/form-values.ts httpsUrl). */
const DEEP_LINK_MAX_LENGTH = 2048;

const MACROS = ["click_id", "sub1", "sub2", "sub3", "sub4", "sub5", "publisher_id", "offer_id"] as const;
const CLICK_ID = 0;
const PUBLISHER_ID = 6;
const OFFER_ID = 7;
const MACRO = /\{(click_id|sub[1-5]|publisher_id|offer_id)\}/g;
/** The offer form's rule for a deep-link domain (app/modules/offers/schemas.ts), lower case. */
const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/;

/** Opaque, made by compileLandingUrl: `parts` has one more entry than `slots` and they interleave. */
export type LandingTemplate = { readonly parts: readonly string[]; readonly slots: readonly number[] };

export type LandingValues = {
  clickId: string;
  /** sub1…sub5; a missing or null one fills as empty. */
  subs: readonly (string | null)[];
  publisherId: string;
  offerId: string;
};

/** encodeURIComponent, with a lone surrogate (which it throws on) written as U+FFFD instead. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(wellFormed(value));
  }
}

/** "?" to start a query, "&" to extend one, nothing after an empty query or a trailing "&". */
function querySeparator(beforeFragment: string): string {
  const question = beforeFragment.indexOf("?");
  if (question === -1) return "?";
  return question === beforeFragment.length - 1 || beforeFragment.endsWith("&") ? "" : "&";
}

function scan(text: string, parts: string[], slots: number[]): void {
  let last = 0;
  for (const match of text.matchAll(MACRO)) {
    parts[parts.length - 1] += text.slice(last, match.index);
    slots.push(MACROS.indexOf(match[1] as (typeof MACROS)[number]));
    parts.push("");
    last = match.index + match[0].length;
  }
  parts[parts.length - 1] += text.slice(last);
}

/** Without a {click_id} macro anywhere, the click id goes in a `clickIdParam` query parameter, before any #fragment. */
export function compileLandingUrl(landingUrl: string, clickIdParam: string): LandingTemplate {
  const hash = landingUrl.indexOf("#");
  const base = hash === -1 ? landingUrl : landingUrl.slice(0, hash);
  const fragment = hash === -1 ? "" : landingUrl.slice(hash);
  const parts = [""];
  const slots: number[] = [];
  scan(base, parts, slots);
  if (!landingUrl.includes("{click_id}")) {
    parts[parts.length - 1] += `${querySeparator(base)}${encode(clickIdParam)}=`;
    slots.push(CLICK_ID);
    parts.push("");
  }
  scan(fragment, parts, slots);
  return { parts, slots };
}

export function fillLandingUrl(template: LandingTemplate, values: LandingValues): string {
  const { parts, slots } = template;
  let url = parts[0]!;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const value =
      slot === CLICK_ID
        ? values.clickId
        : slot === PUBLISHER_ID
          ? values.publisherId
          : slot === OFFER_ID
            ? values.offerId
            : (values.subs[slot - 1] ?? "");
    url += encode(value) + parts[i + 1]!;
  }
  return url;
}

/** The form-decoded name of one `name=value` pair. */
function paramName(pair: string): string {
  const equals = pair.indexOf("=");
  const name = (equals === -1 ? pair : pair.slice(0, equals)).replaceAll("+", " ");
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The click id as a query parameter of a publisher's deep link, before its fragment. A parameter of
 * the same name the publisher put there is dropped, so the merchant's page reads only the real one.
 */
export function appendClickId(deepLink: string, clickIdParam: string, clickId: string): string {
  const hash = deepLink.indexOf("#");
  const base = hash === -1 ? deepLink : deepLink.slice(0, hash);
  const fragment = hash === -1 ? "" : deepLink.slice(hash);
  const question = base.indexOf("?");
  if (question === -1) return `${base}?${encode(clickIdParam)}=${encode(clickId)}${fragment}`;
  const pairs = base
    .slice(question + 1)
    .split("&")
    .filter((pair) => pair !== "" && paramName(pair) !== clickIdParam);
  pairs.push(`${encode(clickIdParam)}=${encode(clickId)}`);
  return `${base.slice(0, question)}?${pairs.join("&")}${fragment}`;
}

/**
 * The normalised href of an https deep link on one of the domains or their subdomains, else null:
 * no credentials, no port but 443, host compared after the parser lower-cased it and wrote IDN as
 * punycode. The href, not the raw text, is what may be redirected to.
 */
export function allowedDeepLink(raw: string, domains: readonly string[]): string | null {
  if (raw.length > DEEP_LINK_MAX_LENGTH || domains.length === 0) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || url.port !== "") return null;
  const host = url.hostname;
  for (const entry of domains) {
    const domain = entry.trim().toLowerCase();
    if (!DOMAIN.test(domain)) continue;
    if (host === domain || (host.endsWith(domain) && host.charCodeAt(host.length - domain.length - 1) === 0x2e)) return url.href;
  }
  return null;
}

const SUB_FIELDS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

function anyOf(domains: readonly string[]): string {
  return domains.length === 1 ? domains[0]! : `${domains.slice(0, -1).join(", ")} or ${domains.at(-1)}`;
}

function deepLinkRefusal(raw: string, domains: readonly string[]): string {
  if (domains.length === 0) return "This offer takes no deep links: leave the deep link empty";
  if (raw.length > DEEP_LINK_MAX_LENGTH) return `A deep link is at most ${DEEP_LINK_MAX_LENGTH} characters`;
  return `The deep link must be an https:// address on ${anyOf(domains)}, or a subdomain of ${domains.length === 1 ? "it" : "one of them"}`;
}

/** The publisher's link builder: the tracking link with its non-empty sub ids and an allowed deep link. */
export function buildTrackingUrl(
  linkUrl: string,
  input: { subs: readonly string[]; url: string },
  domains: readonly string[],
): { url: string } | { error: string; field: "url" | "sub1" | "sub2" | "sub3" | "sub4" | "sub5" } {
  const params: string[] = [];
  for (const [i, field] of SUB_FIELDS.entries()) {
    const sub = input.subs[i]?.trim() ?? "";
    if (sub.length > SUB_MAX_LENGTH) return { error: `Sub ID ${i + 1} is at most ${SUB_MAX_LENGTH} characters`, field };
    if (sub !== "") params.push(`${field}=${encode(sub)}`);
  }
  const raw = input.url.trim();
  if (raw !== "") {
    const deepLink = allowedDeepLink(raw, domains);
    if (deepLink === null) return { error: deepLinkRefusal(raw, domains), field: "url" };
    params.push(`url=${encode(deepLink)}`);
  }
  return { url: params.length === 0 ? linkUrl : `${linkUrl}?${params.join("&")}` };
}
