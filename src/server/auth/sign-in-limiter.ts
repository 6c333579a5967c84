import { env } from "../env";
import { createLimiter } from "../ratelimit/limiter";

/**
 * Slows down password guessing against one account: after `maxFailures` failed sign-ins for
 * an e-mail within `windowSeconds`, further attempts are refused until the window ends. A
 * successful sign-in clears the count. Memory by default; Redis when `redisUrl` is given so
 * every portal process sees the same counts.
 */
type SignInLimiter = {
  /** Seconds until this e-mail may try again, or null when it is not blocked. */
  retryAfterSeconds(email: string): Promise<number | null>;
  recordFailure(email: string): Promise<void>;
  reset(email: string): Promise<void>;
};

type SignInLimiterOptions = { maxFailures: number; windowSeconds: number; redisUrl?: string; keyPrefix?: string };

const keyFor = (email: string) => email.trim().toLowerCase();

export function createSignInLimiter({ maxFailures, windowSeconds, redisUrl, keyPrefix = "signin-fail" }: SignInLimiterOptions): SignInLimiter {
  const limiter = createLimiter({ points: maxFailures, durationSeconds: windowSeconds, keyPrefix, redisUrl });

  return {
    async retryAfterSeconds(email) {
      const state = await limiter.get(keyFor(email));
      if (!state || state.consumedPoints < maxFailures) return null;
      return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    },
    async recordFailure(email) {
      await limiter.penalty(keyFor(email), 1);
    },
    async reset(email) {
      await limiter.delete(keyFor(email));
    },
  };
}

const globalForLimiter = globalThis as unknown as { sightlineSignInLimiter?: SignInLimiter };

/** The process-wide limiter configured from env (SIGNIN_MAX_FAILURES, SIGNIN_WINDOW_SECONDS, REDIS_URL). */
export function signInLimiter(): SignInLimiter {
  globalForLimiter.sightlineSignInLimiter ??= createSignInLimiter({
    maxFailures: env.SIGNIN_MAX_FAILURES,
    windowSeconds: env.SIGNIN_WINDOW_SECONDS,
    redisUrl: env.REDIS_URL,
  });
  return globalForLimiter.sightlineSignInLimiter;
}
