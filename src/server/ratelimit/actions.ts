/**
 * Limits on actions a person can repeat from the UI that cost something outside the portal
 * (an e-mail, a webhook call) or create accounts. Memory by default, Redis with REDIS_URL.
 * Over a limit the action is refused with TOO_MANY_REQUESTS and how long to wait.
 */
import { AppError } from "@/server/app-error";
import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { createLimiter } from "./limiter";

const LIMITS = {
  /** Per client IP; without a trusted IP (TRUSTED_PROXIES=0) all sign-ups share one, ten times larger, budget. */
  signUp: { points: 20, durationSeconds: 3600, what: "sign-ups from your address" },
  signUpUnknownIp: { points: 200, durationSeconds: 3600, what: "sign-ups" },
  /** Per person and channel. */
  testNotification: { points: 5, durationSeconds: 600, what: "test notifications to this channel" },
  /** Per person and organisation. */
  reportNow: { points: 3, durationSeconds: 3600, what: "reports sent now" },
} as const;
export type LimitedAction = keyof typeof LIMITS;

const globalForLimits = globalThis as unknown as { sightlineActionLimits?: Map<LimitedAction, RateLimiterAbstract> };
const limiters = (globalForLimits.sightlineActionLimits ??= new Map());

function limiter(action: LimitedAction): RateLimiterAbstract {
  let l = limiters.get(action);
  if (!l) {
    const { points, durationSeconds } = LIMITS[action];
    l = createLimiter({ points, durationSeconds, keyPrefix: `action-${action}`, redisUrl: env.REDIS_URL });
    limiters.set(action, l);
  }
  return l;
}

/** Counts one `action` for `key`; throws TOO_MANY_REQUESTS past the limit. */
export async function limitAction(action: LimitedAction, key: string): Promise<void> {
  try {
    await limiter(action).consume(key);
  } catch (error) {
    const wait = (error as RateLimiterRes)?.msBeforeNext;
    if (typeof wait !== "number") throw error;
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    throw new AppError("TOO_MANY_REQUESTS", `Too many ${LIMITS[action].what}; try again in ${seconds} s`);
  }
}
