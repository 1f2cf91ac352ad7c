import { describe, expect, it } from "vitest";
import { isBotUserAgent } from "~/modules/tracking/bots";

const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const safari =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

describe("isBotUserAgent", () => {
  it.each([null, undefined, "", "   ", "\t"])("counts a missing or blank user agent (%j) as a bot", (ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
  });

  it.each([
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.7.1",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
  ])("counts %s as a bot", (ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
  });

  it.each([chrome, safari])("lets the browser %s through", (ua) => {
    expect(isBotUserAgent(ua)).toBe(false);
  });
});
