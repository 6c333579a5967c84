/**
 * SSRF guard for alert webhooks (Slack and generic): the host is resolved and every address it
 * resolves to must be public. Loopback, link-local, private, unique-local, CGNAT, multicast and
 * unspecified addresses are refused unless the operator sets ALERTS_ALLOW_PRIVATE_WEBHOOKS=1.
 * Checked when a channel is saved and again before every delivery (DNS may change).
 */
import { lookup } from "node:dns/promises";
import net from "node:net";
import { env } from "../env";
import { isPrivateAddress } from "./addresses";

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeUrlError";
  }
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
