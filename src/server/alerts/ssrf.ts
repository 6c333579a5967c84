/**
 * SSRF guard for alert webhooks (Slack and generic): the host is resolved once and every address
 * it resolves to must be public. Loopback, link-local, private, unique-local, CGNAT, multicast and
 * unspecified addresses are refused unless the operator sets ALERTS_ALLOW_PRIVATE_WEBHOOKS=1.
 * Checked when a channel is saved and again before every delivery (DNS may change), and the
 * delivery connects to exactly the addresses that were checked (`pinnedDispatcher`): a second
 * resolution by the HTTP client could answer differently (DNS rebinding).
 */
import { lookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import net from "node:net";
import { Agent } from "undici";
import { env } from "../env";
import { isPrivateAddress } from "./addresses";

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeUrlError";
  }
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export type VettedUrl = { url: URL; addresses: LookupAddress[] };

/** Resolves `url`'s host once and returns the addresses to connect to; throws UnsafeUrlError when it must not be reached. */
export async function vetWebhookUrl(url: string, options: { allowPrivate?: boolean; resolve?: Resolver } = {}): Promise<VettedUrl> {
  const allowPrivate = options.allowPrivate ?? env.ALERTS_ALLOW_PRIVATE_WEBHOOKS;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError("not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new UnsafeUrlError("only http and https URLs are allowed");
  if (parsed.username || parsed.password) throw new UnsafeUrlError("URLs with credentials are not allowed");
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  try {
    addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await (options.resolve ?? systemResolver)(host);
  } catch {
    throw new UnsafeUrlError(`the host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`the host ${host} does not resolve`);
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address)))
    throw new UnsafeUrlError(
      `${host} resolves to a loopback, link-local or private address; the operator can allow these with ALERTS_ALLOW_PRIVATE_WEBHOOKS=1`,
    );
  return { url: parsed, addresses };
}

/** Throws UnsafeUrlError when `url` is not http(s) or resolves to a non-public address (unless allowed). */
export async function assertSafeWebhookUrl(url: string, allowPrivate = env.ALERTS_ALLOW_PRIVATE_WEBHOOKS): Promise<void> {
  await vetWebhookUrl(url, { allowPrivate });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** An HTTP dispatcher whose connections go to the vetted addresses only, whatever DNS says by then (TLS still checks the host name). */
export function pinnedDispatcher(vetted: VettedUrl): Agent {
  const lookupVetted = (_host: string, options: { all?: boolean }, callback: LookupCallback) => {
    if (options?.all) callback(null, vetted.addresses);
    else callback(null, vetted.addresses[0]!.address, vetted.addresses[0]!.family);
  };
  return new Agent({ connect: { lookup: lookupVetted as never }, connections: 1, pipelining: 0 });
}
