/**
 * Per-key request rate for the ingest endpoints (shared across processes through Redis when REDIS_URL
 * is set), and the process-wide admission of batches (admission.ts).
 */
import type { Redis } from "ioredis";
import { RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { createLimiter } from "../ratelimit/limiter";
import { createAdmission, type Admission } from "./admission";

type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type IngestRateLimiter = { consume(keyId: string): Promise<RateDecision> };

export function createIngestRateLimiter({
  points,
  durationSeconds,
  redisUrl,
  redis,
  keyPrefix = "ingest",
}: {
  points: number;
  durationSeconds: number;
  redisUrl?: string;
  redis?: Redis;
  keyPrefix?: string;
}): IngestRateLimiter {
  const limiter = createLimiter({ points, durationSeconds, keyPrefix, redisUrl, redis });
  return {
    async consume(keyId) {
      try {
        await limiter.consume(keyId, 1);
        return { ok: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },
  };
}

const globalForLimiter = globalThis as unknown as { sightlineIngestLimiter?: IngestRateLimiter };

/** The process-wide limiter from env (INGEST_RATE_LIMIT_REQUESTS per INGEST_RATE_LIMIT_WINDOW_SECONDS). */
export function ingestRateLimiter(): IngestRateLimiter {
  globalForLimiter.sightlineIngestLimiter ??= createIngestRateLimiter({
    points: env.INGEST_RATE_LIMIT_REQUESTS,
    durationSeconds: env.INGEST_RATE_LIMIT_WINDOW_SECONDS,
    redisUrl: env.REDIS_URL,
  });
  return globalForLimiter.sightlineIngestLimiter;
}

const globalForAdmission = globalThis as unknown as { sightlineIngestAdmission?: Admission };

/** The process-wide admission for the batch API and the OTLP routes (INGEST_MAX_CONCURRENT_BATCHES…). */
export function ingestAdmission(): Admission {
  globalForAdmission.sightlineIngestAdmission ??= createAdmission({
    maxActive: env.INGEST_MAX_CONCURRENT_BATCHES,
    maxQueued: env.INGEST_MAX_QUEUED_BATCHES,
    maxWaitMs: env.INGEST_MAX_QUEUE_WAIT_MS,
  });
  return globalForAdmission.sightlineIngestAdmission;
}

/** Seconds an overloaded portal asks a client to wait. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;
