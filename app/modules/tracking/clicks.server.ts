import type { IncomingMessage, ServerResponse } from "node:http";
import { cleanText } from "~/lib/clean-text";
import { isBotUserAgent } from "./bots";
import type { ClickRecord, ClickRecorder } from "./click-recorder.server";
import { signClickId, type SigningKeyRing } from "./click-id";
import { allowedDeepLink, appendClickId, fillLandingUrl, SUB_MAX_LENGTH } from "./landing-url";
import type { CachedLink, CachedOffer, LinkCache } from "./link-cache.server";

const USER_AGENT_MAX_LENGTH = 512;
const REFERRER_MAX_LENGTH = 1024;
const CODE_MAX_LENGTH = 64;
const SUB_NAMES = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

type ClickDeps = {
  cache: LinkCache;
  recorder: ClickRecorder;
  clickKeys: SigningKeyRing;
  countryOf: (ip: string) => string | null;
};

/** Why a link does not redirect: 404 for what never was live, 410 for what was and has stopped. */
export function linkState(link: CachedLink | undefined, cache: LinkCache): { offer: CachedOffer } | 404 | 410 {
  if (!link) return 404;
  const offer = cache.offer(link.offerId);
  if (!offer) return 404;
  const merchantStatus = cache.organizationStatus(offer.merchantId);
  if (link.partnershipStatus === "invited" || offer.status === "draft" || offer.status === "in_review") return 404;
  if (merchantStatus !== "active" && merchantStatus !== "suspended") return 404;
  if (link.partnershipStatus !== "active" || offer.status !== "active" || merchantStatus === "suspended") return 410;
  return { offer };
}

/**
 * `GET /c/<code>`: answered from memory with a 302 and a signed click id; the click itself is handed
 * to the recorder, which writes it after the response. Nothing here waits on the database.
 */
export function createClickHandler({ cache, recorder, clickKeys, countryOf }: ClickDeps) {
  return function handleClick(req: IncomingMessage, res: ServerResponse, ip: string) {
    const url = req.url!;
    const queryAt = url.indexOf("?");
    const code = url.slice(3, queryAt === -1 ? undefined : queryAt);
    const link = code.length <= CODE_MAX_LENGTH ? cache.linkByCode(code) : undefined;
    const state = linkState(link, cache);
    if (typeof state === "number") return statusPage(res, state);
    const { offer } = state;

    const query = queryAt === -1 ? null : new URLSearchParams(url.slice(queryAt + 1));
    const subs = SUB_NAMES.map((name) => text(query?.get(name), SUB_MAX_LENGTH));
    const requested = query?.get("url");
    const deepLink = requested ? allowedDeepLink(requested, offer.deepLinkDomains) : null;
    const userAgent = text(req.headers["user-agent"], USER_AGENT_MAX_LENGTH);
    const referrer = text(req.headers.referer, REFERRER_MAX_LENGTH);
    const click = newClick(clickKeys, link!, offer, {
      subs,
      ip,
      userAgent,
      referrer,
      country: countryOf(ip),
      isBot: isBotUserAgent(userAgent),
    });

    const location = deepLink
      ? appendClickId(deepLink, offer.clickIdParam, click.clickId)
      : fillLandingUrl(offer.landing, { clickId: click.clickId, subs, publisherId: link!.publisherId, offerId: offer.id });
    res.writeHead(302, { location, "cache-control": "no-store", "referrer-policy": "no-referrer-when-downgrade" });
    res.end();
    if (req.method !== "HEAD") recorder.add(click);
  };
}

/** Who clicked, as far as the request tells. */
type Visitor = Pick<ClickRecord, "ip" | "userAgent" | "referrer" | "country" | "isBot"> & { subs: readonly (string | null)[] };

/** A click on the link now, with its signed id: what the redirect hands the visitor and the recorder. */
export function newClick(clickKeys: SigningKeyRing, link: CachedLink, offer: CachedOffer, visitor: Visitor): ClickRecord {
  const clickedAt = Math.floor(Date.now() / 1000);
  const { subs } = visitor;
  return {
    clickId: signClickId(clickKeys, { linkId: link.id, clickedAt, bot: visitor.isBot, country: visitor.country }),
    clickedAt,
    linkId: link.id,
    partnershipId: link.partnershipId,
    offerId: offer.id,
    publisherId: link.publisherId,
    merchantId: offer.merchantId,
    sub1: subs[0] ?? null,
    sub2: subs[1] ?? null,
    sub3: subs[2] ?? null,
    sub4: subs[3] ?? null,
    sub5: subs[4] ?? null,
    ip: visitor.ip,
    userAgent: visitor.userAgent,
    referrer: visitor.referrer,
    country: visitor.country,
    isBot: visitor.isBot,
  };
}

/** A request's text as the clicks table stores it: cut to its limit, storable, null when empty. */
function text(value: string | null | undefined, max: number): string | null {
  return value ? cleanText(value.slice(0, max)) || null : null;
}

const PAGES = {
  404: page("Link not found", "This tracking link does not exist. Check that it was copied whole."),
  410: page("Offer no longer available", "This link's offer or partnership has ended or is paused, so it no longer leads anywhere."),
};

function page(title: string, text: string) {
  return Buffer.from(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
      `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}</style></head>` +
      `<body><h1>${title}</h1><p>${text}</p></body></html>`,
  );
}

function statusPage(res: ServerResponse, status: 404 | 410) {
  const body = PAGES[status];
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": body.length,
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}
