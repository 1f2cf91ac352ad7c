import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { openCountryLookup } from "~/modules/tracking/country.server";

const country = openCountryLookup();
const dir = mkdtempSync(join(tmpdir(), "geoip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openCountryLookup", () => {
  it.each([
    ["8.8.8.8", "US"],
    ["1.1.1.1", "AU"],
    ["193.0.14.129", "NL"],
    ["133.242.0.3", "JP"],
    ["::ffff:8.8.8.8", "US"],
    ["2001:4860:4860::8888", "US"],
  ])("finds %s in %s with the shipped file", (ip, code) => {
    expect(country(ip)).toBe(code);
  });

  it.each([
    "10.0.0.1",
    "127.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",
    "169.254.1.1",
    "0.0.0.0",
    "255.255.255.255",
    "::ffff:192.168.1.1",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "fd00::1",
  ])("answers null for the private or reserved address %s", (ip) => {
    expect(country(ip)).toBeNull();
  });

  it.each(["", "abc", "1.2.3", "01.2.3.4", "999.1.1.1", " 8.8.8.8", "8.8.8.8 ", "::ffff:zz", "8.8.8.8:443"])(
    "answers null for %j, which is not an address",
    (ip) => {
      expect(country(ip)).toBeNull();
    },
  );

  it("answers an upper-case alpha-2 code or null, never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (ip) => {
        const code = country(ip);
        if (code !== null) expect(code).toMatch(/^[A-Z]{2}$/);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads another file GEOIP_DB names, including MaxMind's country.iso_code records", () => {
    // A one-node IPv4 tree: 0.0.0.0/1 points at { country: { iso_code: "gb" } }, 128.0.0.0/1 at nothing.
    const str = (s: string) => Buffer.concat([Buffer.from([0x40 | s.length]), Buffer.from(s)]);
    const map = (...entries: [Buffer, Buffer][]) => Buffer.concat([Buffer.from([0xe0 | entries.length]), ...entries.flat()]);
    const uint = (type: 5 | 6, value: number) => Buffer.from([(type << 5) | 1, value]);
    const file = join(dir, "maxmind-style.mmdb");
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from([0, 0, 17, 0, 0, 1]),
        Buffer.alloc(16),
        map([str("country"), map([str("iso_code"), str("gb")])]),
        Buffer.from("ABCDEF4D61784D696E642E636F6D", "hex"),
        map([str("node_count"), uint(6, 1)], [str("record_size"), uint(5, 24)], [str("ip_version"), uint(5, 4)]),
      ]),
    );
    const lookup = openCountryLookup(file);
    expect(lookup("8.8.8.8")).toBe("GB");
    expect(lookup("200.1.1.1")).toBeNull();
    expect(lookup("10.0.0.1")).toBeNull();
  });

  it("answers null for IPv6 addresses from an IPv4-only file", () => {
    const packageDir = dirname(createRequire(import.meta.url).resolve("@ip-location-db/geo-whois-asn-country-mmdb/package.json"));
    const ipv4Only = openCountryLookup(join(packageDir, "geo-whois-asn-country-ipv4.mmdb"));
    expect(ipv4Only("8.8.8.8")).toBe("US");
    expect(ipv4Only("::ffff:8.8.8.8")).toBe("US");
    expect(ipv4Only("2a00:1450:4001::1")).toBeNull();
  });

  it("says which file GEOIP_DB names when it cannot be read or is not a database", () => {
    const missing = join(dir, "missing.mmdb");
    expect(() => openCountryLookup(missing)).toThrow(`GEOIP_DB: cannot read the IP-to-country file ${missing} (ENOENT)`);
    const junk = join(dir, "junk.mmdb");
    writeFileSync(junk, "not a database");
    expect(() => openCountryLookup(junk)).toThrow(`GEOIP_DB: ${junk} is not an mmdb IP-to-country database`);
  });
});
