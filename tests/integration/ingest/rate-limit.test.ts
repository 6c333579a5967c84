import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createIngestRateLimiter } from "@/server/ingest/rate-limit";

describe("ingest rate limiter", () => {
  it("shares the budget through Redis when configured", async () => {
    const prefix = `t${Date.now()}`;
    const [ra, rb] = [new Redis("redis://127.0.0.1:6379"), new Redis("redis://127.0.0.1:6379")];
    try {
      const a = createIngestRateLimiter({ points: 1, durationSeconds: 60, keyPrefix: prefix, redis: ra });
      const b = createIngestRateLimiter({ points: 1, durationSeconds: 60, keyPrefix: prefix, redis: rb });
      expect(await a.consume("k")).toEqual({ ok: true });
      const second = await b.consume("k");
      expect(second.ok).toBe(false);
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  });

  it("allows the budget per key, then answers with a retry delay", async () => {
    const limiter = createIngestRateLimiter({ points: 2, durationSeconds: 60, keyPrefix: `t${Date.now()}` });
    expect(await limiter.consume("k1")).toEqual({ ok: true });
    expect(await limiter.consume("k1")).toEqual({ ok: true });
    const third = await limiter.consume("k1");
    expect(third.ok).toBe(false);
    expect(third.ok ? 0 : third.retryAfterSeconds).toBeGreaterThan(0);
    expect(await limiter.consume("k2")).toEqual({ ok: true });
  });
});
