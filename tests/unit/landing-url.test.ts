import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowedDeepLink,
  appendClickId,
  buildTrackingUrl,
  compileLandingUrl,
  fillLandingUrl,
  SUB_MAX_LENGTH,
  type LandingValues,
} from "~/modules/tracking/landing-url";

const CLICK = "AQcAAAAB4kBqsVIARELi3dgxDOx5dqXvtqAJaM1vSxnBrWbrAP7A";
const values: LandingValues = {
  clickId: CLICK,
  subs: ["a b", null, "x&y=z", null, "é/?#"],
  publisherId: "0b5e7c1e-1d0b-4b8e-9f43-0c9a3c1f1a11",
  offerId: "7d2c9a60-33b1-4f5c-8c63-1b7b3f0e9d22",
};
const fill = (landingUrl: string, param = "click_id", v = values) => fillLandingUrl(compileLandingUrl(landingUrl, param), v);
/** Well-formed text: what a URL's query can carry exactly. */
const text = fc.string({ unit: "grapheme", maxLength: 40 });

describe("landing URLs", () => {
  it.each([
    ["https://shop.example/land", `https://shop.example/land?click_id=${CLICK}`],
    ["https://shop.example/land?utm=aff", `https://shop.example/land?utm=aff&click_id=${CLICK}`],
    ["https://shop.example/land?", `https://shop.example/land?click_id=${CLICK}`],
    ["https://shop.example/land??", `https://shop.example/land??&click_id=${CLICK}`],
    ["https://shop.example/land?utm=aff&", `https://shop.example/land?utm=aff&click_id=${CLICK}`],
    ["https://shop.example/land?utm=aff#top", `https://shop.example/land?utm=aff&click_id=${CLICK}#top`],
    ["https://shop.example/land#a?b=c", `https://shop.example/land?click_id=${CLICK}#a?b=c`],
    ["https://shop.example/land?x={sub1}", `https://shop.example/land?x=a%20b&click_id=${CLICK}`],
  ])("add the click id as a query parameter before any fragment: %s", (landing, expected) => {
    expect(fill(landing)).toBe(expected);
  });

  it("use the offer's parameter name, encoded", () => {
    expect(fill("https://shop.example/", "aff id")).toBe(`https://shop.example/?aff%20id=${CLICK}`);
  });

  it("fill every macro URL-encoded, a missing sub as empty, and add no parameter when {click_id} is there", () => {
    const landing =
      "https://shop.example/p/{offer_id}?cid={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&pub={publisher_id}&again={click_id}";
    expect(fill(landing)).toBe(
      `https://shop.example/p/${values.offerId}?cid=${CLICK}&s1=a%20b&s2=&s3=x%26y%3Dz&s4=&s5=%C3%A9%2F%3F%23&pub=${values.publisherId}&again=${CLICK}`,
    );
  });

  it("fill macros in the fragment and count a {click_id} there", () => {
    expect(fill("https://shop.example/p#cid={click_id}&s={sub1}")).toBe(`https://shop.example/p#cid=${CLICK}&s=a%20b`);
    expect(fill("https://shop.example/p#s={sub1}")).toBe(`https://shop.example/p?click_id=${CLICK}#s=a%20b`);
  });

  it("leave unknown and malformed macros as they are", () => {
    expect(fill("https://shop.example/?a={sub6}&b={CLICK_ID}&c={sub1")).toBe(
      `https://shop.example/?a={sub6}&b={CLICK_ID}&c={sub1&click_id=${CLICK}`,
    );
  });

  it("round-trip any sub through URL parsing", () => {
    const template = compileLandingUrl("https://shop.example/p?s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}#f={sub1}", "cid");
    fc.assert(
      fc.property(fc.array(fc.option(text), { minLength: 5, maxLength: 5 }), (subs) => {
        const url = new URL(fillLandingUrl(template, { ...values, subs }));
        subs.forEach((sub, i) => expect(url.searchParams.get(`s${i + 1}`)).toBe(sub ?? ""));
        expect(url.searchParams.get("cid")).toBe(CLICK);
        expect(decodeURIComponent(url.hash)).toBe(`#f=${subs[0] ?? ""}`);
      }),
      { numRuns: 500 },
    );
  });

  it("write a lone surrogate as U+FFFD instead of throwing", () => {
    expect(fill("https://shop.example/?s={sub1}", "c", { ...values, subs: ["a\uD800b"] })).toBe(
      `https://shop.example/?s=a%EF%BF%BDb&c=${CLICK}`,
    );
  });

  it("keep any https landing URL's query and fragment and add the click id last", () => {
    fc.assert(
      fc.property(
        fc.webUrl({ validSchemes: ["https"], withQueryParameters: true, withFragments: true }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (landing, param) => {
          const before = new URL(landing);
          const after = new URL(fill(landing, param));
          expect(after.searchParams.getAll(param).at(-1)).toBe(CLICK);
          expect(after.hash).toBe(before.hash);
          expect(after.origin + after.pathname).toBe(before.origin + before.pathname);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("appendClickId", () => {
  it.each([
    ["https://shop.example/p", `https://shop.example/p?click_id=${CLICK}`],
    ["https://shop.example/p?a=1#f", `https://shop.example/p?a=1&click_id=${CLICK}#f`],
    ["https://shop.example/p?click_id=forged&a=1&click%5Fid=forged2", `https://shop.example/p?a=1&click_id=${CLICK}`],
    ["https://shop.example/p?", `https://shop.example/p?click_id=${CLICK}`],
  ])("adds the click id to %s, replacing one the publisher wrote", (deepLink, expected) => {
    expect(appendClickId(deepLink, "click_id", CLICK)).toBe(expected);
  });
});

describe("allowedDeepLink", () => {
  const domains = ["shop.example", "Brand.Example"];

  it.each([
    ["https://shop.example/x?y=1#z", "https://shop.example/x?y=1#z"],
    ["https://www.shop.example/", "https://www.shop.example/"],
    ["https://a.b.brand.example/p", "https://a.b.brand.example/p"],
    ["HTTPS://SHOP.EXAMPLE/Path", "https://shop.example/Path"],
    ["https://shop.example:443/", "https://shop.example/"],
    ["  https://shop.example/a b\n", "https://shop.example/a%20b"],
    ["https://shop.example\\@evil.example", "https://shop.example/@evil.example"],
  ])("accepts %j as its normalised href", (raw, href) => {
    expect(allowedDeepLink(raw, domains)).toBe(href);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript://shop.example/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://shop.example/",
    "ftp://shop.example/",
    "//shop.example/x",
    "/x",
    "shop.example/x",
    "https://evil.example/",
    "https://shop.example.evil.example/",
    "https://evilshop.example/",
    "https://shop-example.evil/",
    "https://shop.example@evil.example/",
    "https://shop.example:@evil.example/",
    "https://shop.example%2F@evil.example/",
    "https://user:pass@shop.example/",
    "https://user@shop.example/",
    "https://evil.example\\@shop.example",
    "https://evil.example\\.shop.example",
    "https:\\\\evil.example",
    "https:evil.example",
    "https://shop.example\t.evil.example/",
    "https://shop.example:8443/",
    "https://shop.example:80/",
    "https://shop.example./",
    "https://example/",
    "https://[::1]/",
  ])("refuses %j", (raw) => {
    expect(allowedDeepLink(raw, domains)).toBeNull();
  });

  it("compares IDN hosts as punycode, so a look-alike does not pass", () => {
    expect(allowedDeepLink("https://bücher.example/x", ["xn--bcher-kva.example"])).toBe("https://xn--bcher-kva.example/x");
    expect(allowedDeepLink("https://bucher.example/x", ["xn--bcher-kva.example"])).toBeNull();
    expect(allowedDeepLink("https://shоp.example/", domains)).toBeNull();
  });

  it("allows nothing without domains or past 2048 characters, and ignores entries that are not domain names", () => {
    expect(allowedDeepLink("https://shop.example/", [])).toBeNull();
    expect(allowedDeepLink(`https://shop.example/${"a".repeat(2048)}`, domains)).toBeNull();
    expect(allowedDeepLink("https://evil.example/", ["", "evil.example/x", "*.evil.example", "example"])).toBeNull();
  });

  it("only ever returns an https href on an allowed host, without credentials or port", () => {
    const host = fc.constantFrom("shop.example", "www.shop.example", "shop.example.evil", "evilshop.example", "evil.example");
    const raw = fc.oneof(
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .tuple(fc.constantFrom("https://", "https:", "http://", "https:\\\\", "HTTPS://"), fc.string(), host, fc.string())
        .map(([scheme, before, h, after]) => `${scheme}${before}${h}${after}`),
    );
    fc.assert(
      fc.property(raw, (r) => {
        const href = allowedDeepLink(r, domains);
        if (href === null) return;
        const url = new URL(href);
        expect(url.href).toBe(href);
        expect(url.protocol).toBe("https:");
        expect([url.username, url.password, url.port]).toEqual(["", "", ""]);
        expect(url.hostname).toMatch(/(^|\.)(shop|brand)\.example$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("buildTrackingUrl", () => {
  const link = "https://net.example/c/AbCdEfGhIjKlMnOp";
  const domains = ["shop.example"];

  it("adds only the filled subs and the normalised deep link, encoded", () => {
    expect(buildTrackingUrl(link, { subs: [" a b ", "", "x&y", "", ""], url: "https://Shop.example/p?q=1#f" }, domains)).toEqual({
      url: `${link}?sub1=a%20b&sub3=x%26y&url=${encodeURIComponent("https://shop.example/p?q=1#f")}`,
    });
    expect(buildTrackingUrl(link, { subs: ["", "", "", "", ""], url: " " }, domains)).toEqual({ url: link });
  });

  it("refuses a deep link off the offer's domains, naming them", () => {
    expect(buildTrackingUrl(link, { subs: [], url: "https://evil.example/" }, domains)).toEqual({
      error: "The deep link must be an https:// address on shop.example, or a subdomain of it",
      field: "url",
    });
    expect(buildTrackingUrl(link, { subs: [], url: "javascript:alert(1)" }, ["a.example", "b.example", "c.example"])).toEqual({
      error: "The deep link must be an https:// address on a.example, b.example or c.example, or a subdomain of one of them",
      field: "url",
    });
    expect(buildTrackingUrl(link, { subs: [], url: "https://shop.example/" }, [])).toEqual({
      error: "This offer takes no deep links: leave the deep link empty",
      field: "url",
    });
    expect(buildTrackingUrl(link, { subs: [], url: `https://shop.example/${"a".repeat(2048)}` }, domains)).toMatchObject({
      error: "A deep link is at most 2048 characters",
    });
  });

  it("refuses a sub over the limit, naming its field", () => {
    const long = "x".repeat(SUB_MAX_LENGTH + 1);
    expect(buildTrackingUrl(link, { subs: ["ok", "", "", long, ""], url: "" }, domains)).toEqual({
      error: `Sub ID 4 is at most ${SUB_MAX_LENGTH} characters`,
      field: "sub4",
    });
    expect(buildTrackingUrl(link, { subs: ["x".repeat(SUB_MAX_LENGTH)], url: "" }, domains)).toHaveProperty("url");
  });

  it("round-trips any subs through URL parsing", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 5, maxLength: 5 }), (subs) => {
        const built = buildTrackingUrl(link, { subs, url: "https://www.shop.example/a?b=c" }, domains);
        if (!("url" in built)) throw new Error(built.error);
        const url = new URL(built.url);
        subs.forEach((sub, i) => expect(url.searchParams.get(`sub${i + 1}`)).toBe(sub.trim() === "" ? null : sub.trim()));
        expect(url.searchParams.get("url")).toBe("https://www.shop.example/a?b=c");
      }),
      { numRuns: 500 },
    );
  });
});
