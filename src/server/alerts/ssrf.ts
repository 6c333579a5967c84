/**
 * SSRF guard for alert webhooks (Slack and generic): the host is resolved and every address it
 * resolves to must be public. Loopback, link-local, private, unique-local, CGNAT, multicast and
 * unspecified addresses are refused unless the operator sets ALERTS_ALLOW_PRIVATE_WEBHOOKS=1.
 * Checked when a channel is saved and again before every delivery (DNS may change).
 */
import { lookup } from "node:dns/promises";
import net from "node:net";
import { env } from "../env";

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeUrlError";
  }
}

const V4_BLOCKS: Array<[string, number]> = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
];

const v4ToInt = (ip: string) => ip.split(".").reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;

function isPrivateV4(ip: string): boolean {
  const x = v4ToInt(ip);
  return V4_BLOCKS.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (x & mask) === (v4ToInt(base) & mask);
  });
}

function isPrivateV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateV4(mapped[1]!);
  if (lower === "::" || lower === "::1") return true;
  const first = parseInt(lower.split(":")[0] || "0", 16);
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || (first & 0xff00) === 0xff00;
}

/** True for any address a webhook must not reach by default. */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isPrivateV4(ip);
  if (net.isIPv6(ip)) return isPrivateV6(ip);
  return true;
}

/** Throws UnsafeUrlError when `url` is not http(s) or resolves to a non-public address (unless allowed). */
export async function assertSafeWebhookUrl(url: string, allowPrivate = env.ALERTS_ALLOW_PRIVATE_WEBHOOKS): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError("not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new UnsafeUrlError("only http and https URLs are allowed");
  if (parsed.username || parsed.password) throw new UnsafeUrlError("URLs with credentials are not allowed");
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new UnsafeUrlError(`the host ${host} does not resolve`);
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad || addresses.length === 0)
    throw new UnsafeUrlError(`${host} resolves to ${bad ?? "nothing"}, a loopback, link-local or private address; the operator can allow these with ALERTS_ALLOW_PRIVATE_WEBHOOKS=1`);
}
