/** Retry schedule of the delivery outbox. */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

/** Delay before attempt `attempts + 1`: 30 s · 2^(attempts−1), capped at 1 h, with 50–100 % jitter. */
export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.5 + 0.5 * random));
}
