/**
 * The client's IP address for audit records and per-IP limits. `X-Forwarded-For` is written by
 * whoever sends the request, so only the entries appended by the operator's own proxies are
 * believed: with TRUSTED_PROXIES=N, the N-th address from the right (the one the outermost trusted
 * proxy saw). With 0 (the default, no proxy in front) the header is ignored and the IP is unknown,
 * since Next.js route handlers do not expose the socket's address.
 */
import net from "node:net";

/** `trustedProxies`: env.TRUSTED_PROXIES (a parameter so this stays pure). */
export function clientIp(forwardedFor: string | null | undefined, trustedProxies: number): string | null {
  if (trustedProxies <= 0 || !forwardedFor) return null;
  const hops = forwardedFor
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (!hops.length) return null;
  const candidate = hops[Math.max(0, hops.length - trustedProxies)]!;
  return net.isIP(candidate) ? candidate : null;
}
