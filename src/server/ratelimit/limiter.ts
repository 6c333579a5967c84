import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

type LimiterOptions = { points: number; durationSeconds: number; keyPrefix: string; redisUrl?: string; redis?: Redis };

/**
 * A rate-limiter-flexible limiter: in memory by default, in Redis when a URL or client is given
 * so every portal process shares the counts. If Redis is down, the in-memory limiter stands in
 * (insurance) rather than refusing everything.
 */
export function createLimiter({ points, durationSeconds, keyPrefix, redisUrl, redis }: LimiterOptions): RateLimiterAbstract {
  const opts = { points, duration: durationSeconds, keyPrefix };
  const memory = new RateLimiterMemory(opts);
  const storeClient = redis ?? (redisUrl ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null);
  return storeClient ? new RateLimiterRedis({ ...opts, storeClient, insuranceLimiter: memory }) : memory;
}
