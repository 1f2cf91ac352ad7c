import { describe, expect, it } from "vitest";
import { publisherPostbackDelivery } from "#db/jobs/queues";
import { forbiddenKind, refusedAs } from "~/modules/publisher-postbacks/addresses.server";
import {
  conversionMacroValues,
  POSTBACK_RETRY_WINDOW_MS,
  postbackRetryDelaySeconds,
} from "~/modules/publisher-postbacks/deliveries.server";
import { POSTBACK_TIMEOUT_MS } from "~/modules/publisher-postbacks/http-call.server";
import { fillTemplate, POSTBACK_MACROS, templateMacroProblems, type MacroValues } from "~/modules/publisher-postbacks/macros";
import { sampleMacroValues } from "~/modules/publisher-postbacks/postbacks.server";
import { savePostbackSchema } from "~/modules/publisher-postbacks/schemas";
import { templateProblem } from "~/modules/publisher-postbacks/template-rules.server";

const conversion = {
  id: "6f1d3c1e-8a5b-4c1e-9d7a-2b3c4d5e6f70",
  clickId: "7.AbC-_x",
  sub1: "a b&c=d/é",
  sub2: null,
  sub3: "100%",
  sub4: "#frag",
  sub5: "?q",
  orderId: "ORDER 1",
  event: "sale",
  commissionMinor: 1234,
  currency: "USD",
  status: "approved",
};

describe("filling a template", () => {
  it("takes each macro from the conversion, the payout as a decimal in the offer's currency", () => {
    expect(conversionMacroValues(conversion)).toEqual({
      click_id: "7.AbC-_x",
      sub1: "a b&c=d/é",
      sub2: null,
      sub3: "100%",
      sub4: "#frag",
      sub5: "?q",
      order_id: "ORDER 1",
      event: "sale",
      payout: "12.34",
      currency: "USD",
      status: "approved",
      conversion_id: conversion.id,
    });
    expect(conversionMacroValues({ ...conversion, commissionMinor: 1234, currency: "JPY" }).payout).toBe("1234");
    expect(conversionMacroValues({ ...conversion, commissionMinor: 5, currency: "EUR" }).payout).toBe("0.05");
  });

  it("URL-encodes every value, so no value changes the URL's shape; a null fills in as nothing", () => {
    const template = "https://t.example/pb/{event}?c={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&o={order_id}&p={payout}";
    const url = fillTemplate(template, conversionMacroValues(conversion));
    expect(url).toBe("https://t.example/pb/sale?c=7.AbC-_x&s1=a%20b%26c%3Dd%2F%C3%A9&s2=&s3=100%25&s4=%23frag&s5=%3Fq&o=ORDER%201&p=12.34");
    const parsed = new URL(url);
    expect(parsed.searchParams.get("s1")).toBe("a b&c=d/é");
    expect(parsed.searchParams.get("s4")).toBe("#frag");
    expect(parsed.hash).toBe("");
  });

  it("fills every macro, each time it appears, and leaves other text alone", () => {
    const all = POSTBACK_MACROS.map((m) => `${m.name}={${m.name}}`).join("&");
    const values = Object.fromEntries(POSTBACK_MACROS.map((m) => [m.name, `v-${m.name}`])) as MacroValues;
    expect(fillTemplate(`https://t.example/?${all}&again={sub1}`, values)).toBe(
      `https://t.example/?${POSTBACK_MACROS.map((m) => `${m.name}=v-${m.name}`).join("&")}&again=v-sub1`,
    );
  });

  it("fills a test with sample values in the offer's currency", () => {
    expect(sampleMacroValues("EUR")).toMatchObject({ payout: "12.50", currency: "EUR", click_id: "TEST-CLICK-ID", status: "approved" });
    expect(sampleMacroValues("JPY").payout).toBe("1250");
  });
});

describe("a template, as the form checks it", () => {
  const ok = (template: string, allowLoopback = false) => expect(templateProblem(template, allowLoopback)).toBeNull();
  const refused = (template: string, message: RegExp, allowLoopback = false) =>
    expect(templateProblem(template, allowLoopback)).toMatch(message);

  it("accepts https and http addresses with macros in the path and the query", () => {
    ok("https://tracker.example/postback?click={click_id}&payout={payout}&cur={currency}");
    ok("http://tracker.example:8080/pb/{event}/{status}?id={conversion_id}&o={order_id}");
    ok("https://[2606:4700::1111]/pb?c={click_id}");
    ok("https://8.8.8.8/pb");
  });

  it("refuses other schemes, credentials, spaces and what is not an address", () => {
    refused("ftp://tracker.example/pb", /https:\/\/ \(or http:\/\/\)/);
    refused("javascript:alert(1)", /https:\/\/ \(or http:\/\/\)/);
    refused("file:///etc/passwd", /https:\/\/ \(or http:\/\/\)/);
    refused("https://user:secret@tracker.example/pb", /user name and password/);
    refused("https://user@tracker.example/pb", /user name and password/);
    refused("https://tracker.example/p b", /no spaces/);
    refused("https://tracker.example/pb\n", /no spaces/);
    refused("tracker.example/pb?c={click_id}", /full address/);
    refused("https://", /full address/);
  });

  it("refuses unknown macros by name, and stray braces", () => {
    refused("https://t.example/?a={clickid}", /\{clickid\} is not a macro/);
    refused("https://t.example/?a={x}&b={y}&c={x}", /\{x\}, \{y\} are not macros/);
    refused("https://t.example/?a={click_id", /braces only around a macro/);
    refused("https://t.example/?a=}", /braces only around a macro/);
    expect(templateMacroProblems("https://t.example/?a={sub1}&b={sub6}")).toEqual({ unknown: ["sub6"], strayBrace: false });
  });

  it("refuses macros that would choose the server", () => {
    refused("https://{sub1}.example/pb", /not in the server's address/);
    refused("https://t.example{sub1}/pb", /not in the server's address/);
    refused("https://t.example:{sub1}/pb", /.+/);
    refused("https://{sub1}@t.example/pb", /user name and password/);
    refused("{sub1}://t.example/pb", /.+/);
  });

  it("refuses literal addresses in forbidden ranges, in any spelling the URL parser reads", () => {
    refused("http://127.0.0.1/pb", /^127\.0\.0\.1 is a loopback address/);
    refused("http://10.0.0.1/pb", /^10\.0\.0\.1 is a private address/);
    refused("http://169.254.169.254/latest/meta-data", /^169\.254\.169\.254 is a cloud metadata address/);
    refused("http://[::1]/pb", /^::1 is a loopback address/);
    refused("http://0x7f.1/pb", /^127\.0\.0\.1 is a loopback address/);
    refused("http://2130706433/pb", /^127\.0\.0\.1 is a loopback address/);
    refused("http://0.0.0.0/pb", /unspecified/);
    refused("http://[::]/pb", /unspecified/);
    refused("http://[::ffff:10.0.0.1]/pb", /private/);
    refused("http://[::ffff:169.254.169.254]/pb", /metadata/);
    refused("http://100.64.1.1/pb", /carrier-grade NAT/);
    refused("http://[fd12::1]/pb", /private/);
    refused("http://[fe80::1]/pb", /link-local/);
    refused("http://localhost:3000/pb", /^localhost is a loopback address/);
    refused("http://api.localhost/pb", /loopback/);
  });

  it("lets the loopback setting unlock loopback and nothing else", () => {
    ok("http://127.0.0.1:4000/pb?c={click_id}", true);
    ok("http://[::1]:4000/pb", true);
    ok("http://localhost:4000/pb", true);
    refused("http://10.0.0.1/pb", /private/, true);
    refused("http://169.254.169.254/pb", /metadata/, true);
    refused("http://[fc00::1]/pb", /private/, true);
  });

  it("is at most 2,000 characters, as the form reads it", () => {
    const long = `https://t.example/?q=${"a".repeat(2000)}`;
    expect(savePostbackSchema.safeParse({ urlTemplate: long }).error?.issues[0]?.message).toBe("An address is at most 2,000 characters");
    expect(savePostbackSchema.safeParse({ urlTemplate: "https://t.example/pb" }).success).toBe(true);
  });
});

describe("forbidden addresses", () => {
  const table: [string, string | null][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fdff:ffff::1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.254", "shared"],
    ["169.254.169.254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["0.1.2.3", "reserved"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["2001:db8::1", "reserved"],
    // IPv4 inside IPv6: mapped, compatible, NAT64 and 6to4 forms reach the IPv4 host.
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:a00:1", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::10.0.0.1", "private"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:c0a8:101::1", "private"],
    ["2002:7f00:1::", "loopback"],
    // Public.
    ["8.8.8.8", null],
    ["1.1.1.1", null],
    ["172.32.0.1", null],
    ["100.128.0.1", null],
    ["2606:4700:4700::1111", null],
    ["::ffff:8.8.8.8", null],
    ["2002:808:808::1", null],
    ["tracker.example", null],
  ];
  it.each(table)("%s is %s", (address, kind) => {
    expect(forbiddenKind(address)).toBe(kind);
  });

  it("says what the address is, and unlocks loopback only when asked", () => {
    expect(refusedAs("10.0.0.1", false)).toBe("a private address");
    expect(refusedAs("127.0.0.1", false)).toBe("a loopback address");
    expect(refusedAs("127.0.0.1", true)).toBeNull();
    expect(refusedAs("::ffff:127.0.0.1", true)).toBeNull();
    expect(refusedAs("169.254.169.254", true)).toBe("a cloud metadata address");
    expect(refusedAs("0.0.0.0", true)).toBe("an unspecified address");
  });
});

describe("the delivery queue", () => {
  it("waits 5 s for an answer and retries on a fixed schedule: doubling from 30 s to at most 2 hours, for 24 hours", () => {
    expect(POSTBACK_TIMEOUT_MS).toBe(5000);
    expect(POSTBACK_RETRY_WINDOW_MS).toBe(24 * 3600 * 1000);
    expect([1, 2, 3, 8, 9, 20].map(postbackRetryDelaySeconds)).toEqual([30, 60, 120, 3840, 7200, 7200]);
    // Attempts inside the window: the first, then one after each wait that ends inside it; one more
    // just after it (24.1 h) fails the delivery for good.
    let at = 0;
    let attempts = 1;
    while (at + postbackRetryDelaySeconds(attempts) < POSTBACK_RETRY_WINDOW_MS / 1000) at += postbackRetryDelaySeconds(attempts++);
    expect(attempts).toBe(19);
    // pg-boss itself retries only a job that threw (a database failure), a few times.
    expect(publisherPostbackDelivery.retryLimit).toBeLessThanOrEqual(5);
  });
});
