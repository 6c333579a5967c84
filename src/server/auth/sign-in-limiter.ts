import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { createLimiter } from "../ratelimit/limiter";

/**
 * Slows down password guessing. Every sign-in attempt RESERVES a point before its password is
 * hashed (rate-limiter-flexible's consume is atomic, in memory or in Redis), so parallel attempts
 * cannot slip past the check; a success gives its points back. Three counters, per window:
 *   - the e-mail from one IP: `maxFailures` (5): the everyday lock, and the only one a user meets;
 *   - the e-mail from anywhere: 10 × maxFailures, so guessing spread over many addresses stops too;
 *   - the IP for any e-mail: `ipMaxFailures` (50), against one address trying many accounts.
 * Someone hammering a victim's e-mail from their own address locks only that address out: the
 * victim still signs in from theirs (until the e-mail-wide cap, ten times higher), and every lock
 * lifts by itself when the window ends. Without a trusted client IP (TRUSTED_PROXIES=0) the first
 * two counters are one.
 */
export type Reservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type SignInLimiter = {
  /** Takes one attempt from every counter that applies, or answers how long to wait. */
  reserve(email: string, ip: string | null): Promise<Reservation>;
  /** Seconds until `email` (from `ip`) may try again, or null when it may now. Reads only. */
  retryAfterSeconds(email: string, ip?: string | null): Promise<number | null>;
  /** A successful sign-in: the counters of this e-mail start over. */
  succeeded(email: string, ip: string | null): Promise<void>;
};

export type SignInLimiterOptions = { maxFailures: number; windowSeconds: number; ipMaxFailures?: number; redisUrl?: string; keyPrefix?: string };

const keyFor = (email: string) => email.trim().toLowerCase();
const isRejection = (e: unknown): e is RateLimiterRes => typeof (e as RateLimiterRes)?.msBeforeNext === "number";

export function createSignInLimiter({ maxFailures, windowSeconds, ipMaxFailures = 50, redisUrl, keyPrefix = "signin" }: SignInLimiterOptions): SignInLimiter {
  const make = (points: number, name: string) => createLimiter({ points, durationSeconds: windowSeconds, keyPrefix: `${keyPrefix}-${name}`, redisUrl });
  const pair = make(maxFailures, "pair");
  const email = make(maxFailures * 10, "email");
  const ip = make(ipMaxFailures, "ip");
  const counters = (address: string, from: string | null): Array<[RateLimiterAbstract, string]> => {
    const e = keyFor(address);
    return from
      ? [
          [pair, `${e}|${from}`],
          [email, e],
          [ip, from],
        ]
      : [
          [pair, `${e}|?`],
          [email, e],
        ];
  };

  return {
    async reserve(address, from) {
      const taken: Array<[RateLimiterAbstract, string]> = [];
      for (const [limiter, key] of counters(address, from)) {
        try {
          await limiter.consume(key);
          taken.push([limiter, key]);
        } catch (error) {
          if (!isRejection(error)) throw error;
          await Promise.all(taken.map(([l, k]) => l.reward(k, 1)));
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
        }
      }
      return { allowed: true };
    },
    async retryAfterSeconds(address, from = null) {
      let wait: number | null = null;
      for (const [limiter, key] of counters(address, from)) {
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limiter.points) wait = Math.max(wait ?? 0, Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
      return wait;
    },
    async succeeded(address, from) {
      const e = keyFor(address);
      await Promise.all([pair.delete(`${e}|${from ?? "?"}`), email.delete(e), from ? ip.reward(from, 1) : Promise.resolve()]);
    },
  };
}

const globalForLimiter = globalThis as unknown as { sightlineSignInLimiter?: SignInLimiter };

/** The process-wide limiter configured from env (SIGNIN_MAX_FAILURES, SIGNIN_IP_MAX_FAILURES, SIGNIN_WINDOW_SECONDS, REDIS_URL). */
export function signInLimiter(): SignInLimiter {
  globalForLimiter.sightlineSignInLimiter ??= createSignInLimiter({
    maxFailures: env.SIGNIN_MAX_FAILURES,
    ipMaxFailures: env.SIGNIN_IP_MAX_FAILURES,
    windowSeconds: env.SIGNIN_WINDOW_SECONDS,
    redisUrl: env.REDIS_URL,
  });
  return globalForLimiter.sightlineSignInLimiter;
}
