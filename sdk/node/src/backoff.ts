/**
 * Retry policy of the transport (OTLP's and Sentry's): retry 429, 502, 503, 504 and network
 * errors, never other statuses; wait `Retry-After` when the portal sends it, else full-jitter
 * exponential backoff — a uniform random delay in [0, min(cap, base · 2^attempt)].
 */
export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export type BackoffOptions = { baseMs: number; maxMs: number; random?: () => number };

/** Delay before retry number `attempt` (0 for the first retry). */
export function fullJitterDelay(attempt: number, { baseMs, maxMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unusable.
 * Capped at `maxMs` so a hostile or confused header cannot park the queue for hours.
 */
export function retryAfterMs(header: string | null | undefined, maxMs: number, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.max(0, Math.min(ms, maxMs));
}
