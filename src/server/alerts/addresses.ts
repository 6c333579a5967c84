/** Address classes a webhook must not reach by default: loopback, link-local, private, unique-local, CGNAT, multicast, unspecified. */
import net from "node:net";

const V4_BLOCKS: Array<[string, number]> = [
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
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const v4ToInt = (ip: string) => ip.split(".").reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;

function isPrivateV4(ip: string): boolean {
  const x = v4ToInt(ip);
  return V4_BLOCKS.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (x & mask) === (v4ToInt(base) & mask);
  });
}

/** The eight 16-bit groups of an IPv6 address (any spelling: `::`, an embedded dotted quad, a zone id), or null. */
function v6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase().split("%")[0]!;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    if (!net.isIPv4(dotted[2]!)) return null;
    const x = v4ToInt(dotted[2]!);
    s = `${dotted[1]}${(x >>> 16).toString(16)}:${(x & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const part = (h: string) => (h ? h.split(":").map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const v4Of = (hi: number, lo: number) => [hi >>> 8, hi & 0xff, lo >>> 8, lo & 0xff].join(".");

/**
 * IPv6 is checked on its numeric value, not its spelling: the URL parser writes `[::ffff:127.0.0.1]`
 * as `[::ffff:7f00:1]`, which reaches loopback all the same. Forms that carry an IPv4 address
 * (mapped, compatible, translated, NAT64, 6to4) are judged by that address.
 */
function isPrivateV6(ip: string): boolean {
  const g = v6Groups(ip);
  if (!g) return true;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8) || (zeros(7) && g[7] === 1)) return true; // :: and ::1
  if (zeros(5) && (g[5] === 0xffff || g[5] === 0)) return isPrivateV4(v4Of(g[6]!, g[7]!)); // ::ffff:a.b.c.d, ::a.b.c.d
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return isPrivateV4(v4Of(g[6]!, g[7]!)); // ::ffff:0:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPrivateV4(v4Of(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return isPrivateV4(v4Of(g[1]!, g[2]!)); // 6to4
  if (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0xdb8)) return true; // Teredo (hides its IPv4 address), documentation
  if (g[0] === 0x100 && g.slice(1, 4).every((x) => x === 0)) return true; // 100::/64 discard-only
  const first = g[0]!;
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || (first & 0xff00) === 0xff00;
}

/** True for any address a webhook must not reach by default. */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isPrivateV4(ip);
  if (net.isIPv6(ip)) return isPrivateV6(ip);
  return true;
}
