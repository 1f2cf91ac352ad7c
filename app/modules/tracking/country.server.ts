import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BlockList, isIP } from "node:net";
import { dirname, join } from "node:path";
import { Reader, type CountryResponse } from "mmdb-lib";
import { COUNTRY_CODES } from "~/lib/countries";

/*
 * The click's country, offline: an mmdb IP-to-country file read once into memory. The default is the
 * IPv4+IPv6 file of @ip-location-db/geo-whois-asn-country-mmdb (records are { country_code: "US" });
 * GEOIP_DB may name another file with a `country_code` or a MaxMind `country.iso_code`.
 */

/** What either kind of file holds; mmdb-lib's types know only MaxMind's. */
type CountryRecord = { country_code?: unknown; country?: { iso_code?: unknown } };

const DEFAULT_PACKAGE = "@ip-location-db/geo-whois-asn-country-mmdb";
const DEFAULT_FILE = "geo-whois-asn-country.mmdb";
const COUNTRIES: ReadonlySet<string> = new Set(COUNTRY_CODES);
const MAPPED_IPV4 = "::ffff:";
/** Decoded records by file offset: a country file has a few hundred; a city file passed as GEOIP_DB is kept bounded. */
const RECORD_CACHE_SIZE = 10_000;

/**
 * Addresses that are nobody's country; the shipped file wrongly places some of them (192.168/16 in
 * AU). IPv4 is checked by arithmetic: BlockList.check costs as much as the lookup itself.
 */
const NOT_PUBLIC_IPV4 = (
  [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 3],
  ] as const
).map(([net, prefix]) => ({ shift: 32 - prefix, network: ipv4Number(net) >>> (32 - prefix) }));
const NOT_PUBLIC_IPV6 = new BlockList();
for (const [net, prefix] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const) {
  NOT_PUBLIC_IPV6.addSubnet(net, prefix, "ipv6");
}

/** A dotted quad that isIP accepted, as an unsigned 32-bit number. */
function ipv4Number(ip: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 0x2e) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + code - 0x30;
  }
  return value * 256 + octet;
}

function isPublic(address: string, version: number): boolean {
  if (version === 6) return !address.includes("%") && !NOT_PUBLIC_IPV6.check(address, "ipv6");
  const value = ipv4Number(address);
  return NOT_PUBLIC_IPV4.every(({ shift, network }) => value >>> shift !== network);
}

function defaultPath(): string {
  const packageJson = createRequire(import.meta.url).resolve(`${DEFAULT_PACKAGE}/package.json`);
  return join(dirname(packageJson), DEFAULT_FILE);
}

/** `source` names what to fix in a message: GEOIP_DB, or the npm package that ships the default. */
function openReader(path: string, source: string): Reader<CountryResponse> {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    throw new Error(`${source}: cannot read the IP-to-country file ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`, {
      cause: error,
    });
  }
  const records = new Map<string | number, unknown>();
  const cache = {
    get: (offset: string | number) => records.get(offset),
    set: (offset: string | number, record: unknown) => records.size < RECORD_CACHE_SIZE && records.set(offset, record),
  };
  try {
    return new Reader<CountryResponse>(file, { cache });
  } catch (error) {
    throw new Error(`${source}: ${path} is not an mmdb IP-to-country database`, { cause: error });
  }
}

/** A lookup from a client address to its upper-case ISO alpha-2 country; null when unknown, private or not an address. */
export function openCountryLookup(path?: string): (ip: string) => string | null {
  const reader = path === undefined ? openReader(defaultPath(), DEFAULT_PACKAGE) : openReader(path, "GEOIP_DB");
  const ipVersion = reader.metadata.ipVersion;
  return (ip) => {
    const unmapped = ip.startsWith(MAPPED_IPV4) ? ip.slice(MAPPED_IPV4.length) : null;
    const address = unmapped !== null && isIP(unmapped) === 4 ? unmapped : ip;
    const version = isIP(address);
    // An IPv4-only file would read an IPv6 address's first 32 bits as an IPv4 address.
    if (version === 0 || version > ipVersion || !isPublic(address, version)) return null;
    const record: CountryRecord | null = reader.get(address);
    const code = record?.country_code ?? record?.country?.iso_code;
    if (typeof code !== "string") return null;
    const upper = code.toUpperCase();
    return COUNTRIES.has(upper) ? upper : null;
  };
}
