import { BlockList, isIP } from "node:net";

/** Why an address is not one a postback may call. */
type AddressKind = "unspecified" | "loopback" | "metadata" | "private" | "shared" | "link-local" | "multicast" | "reserved";

const KIND_WORDS: Record<AddressKind, string> = {
  unspecified: "an unspecified address",
  loopback: "a loopback address",
  metadata: "a cloud metadata address",
  private: "a private address",
  shared: "a shared (carrier-grade NAT) address",
  "link-local": "a link-local address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};

type Ranges = Partial<Record<AddressKind, string[]>>;

/** Checked in this order, so an address in two ranges gets the more telling word (metadata before link-local). */
const IPV4: Ranges = {
  unspecified: ["0.0.0.0/32"],
  loopback: ["127.0.0.0/8"],
  // AWS, GCP, Azure and Oracle (169.254.169.254), Azure's wire server, Alibaba.
  metadata: ["169.254.169.254/32", "168.63.129.16/32", "100.100.100.200/32"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
  shared: ["100.64.0.0/10"],
  "link-local": ["169.254.0.0/16"],
  multicast: ["224.0.0.0/4"],
  reserved: [
    "0.0.0.0/8",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "240.0.0.0/4",
  ],
};

const IPV6: Ranges = {
  unspecified: ["::/128"],
  loopback: ["::1/128"],
  metadata: ["fd00:ec2::254/128"],
  private: ["fc00::/7", "fec0::/10"],
  "link-local": ["fe80::/10"],
  multicast: ["ff00::/8"],
  reserved: ["100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "64:ff9b:1::/48", "::ffff:0:0:0/96"],
};

function blockLists(ranges: Ranges, type: "ipv4" | "ipv6") {
  return Object.entries(ranges).map(([kind, subnets]) => {
    const list = new BlockList();
    for (const subnet of subnets) {
      const [network, prefix] = subnet.split("/");
      list.addSubnet(network!, Number(prefix), type);
    }
    return { kind: kind as AddressKind, list };
  });
}

const ipv4Lists = blockLists(IPV4, "ipv4");
const ipv6Lists = blockLists(IPV6, "ipv6");

/** The eight 16-bit words of an IPv6 address (one net.isIP accepts), a dotted IPv4 tail and a zone included. */
function ipv6Words(address: string): number[] {
  let text = address.split("%")[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const words = (part: string) => (part ? part.split(":").map((w) => parseInt(w, 16)) : []);
  if (!text.includes("::")) return words(text);
  const [head, tail] = text.split("::") as [string, string];
  const [h, t] = [words(head), words(tail)];
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 form carries, where reaching it reaches that IPv4 host: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIpv4(words: number[]): string | null {
  const zeros = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zeros(0, 5) && (words[5] === 0xffff || words[5] === 0)) return ipv4Of(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6)) return ipv4Of(words[6]!, words[7]!);
  if (words[0] === 0x2002) return ipv4Of(words[1]!, words[2]!);
  return null;
}

/** What kind of address a postback may not call this is, or null for a public address (or not an IP). */
export function forbiddenKind(address: string): AddressKind | null {
  const family = isIP(address);
  if (family === 4) return ipv4Lists.find(({ list }) => list.check(address, "ipv4"))?.kind ?? null;
  if (family !== 6) return null;
  const bare = address.split("%")[0]!;
  const listed = ipv6Lists.find(({ list }) => list.check(bare, "ipv6"));
  if (listed) return listed.kind;
  const ipv4 = embeddedIpv4(ipv6Words(bare));
  return ipv4 === null ? null : forbiddenKind(ipv4);
}

/**
 * What the address is, in words ("a private address"), when a postback may not call it; null when
 * it may. `allowLoopback` (a test setting) unlocks loopback and nothing else.
 */
export function refusedAs(address: string, allowLoopback: boolean): string | null {
  const kind = forbiddenKind(address);
  return kind === null || (kind === "loopback" && allowLoopback) ? null : KIND_WORDS[kind];
}

/** A URL's hostname without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}
