import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fullJitterDelay, retryAfterMs } from "../../../sdk/node/src/backoff";
import { Transport, type TransportOptions } from "../../../sdk/node/src/transport";

type Sent = { headers: Record<string, string>; events: Array<{ id: string; type: string; n?: number; [k: string]: unknown }> };

function harness(
  overrides: Partial<TransportOptions> = {},
  respond: (attempt: number) => { status: number; retryAfter?: string; body?: string } = () => ({ status: 200, body: '{"accepted":1,"rejected":[]}' }),
) {
  const sent: Sent[] = [];
  const sleeps: number[] = [];
  let attempt = 0;
  const transport = new Transport({
    url: "http://portal.test/api/v1/ingest",
    apiKey: "sl_test",
    maxQueueSize: 2048,
    maxBatchEvents: 512,
    maxBatchBytes: 1_048_576,
    flushIntervalMs: 60_000,
    gzipAboveBytes: 32_768,
    maxAttempts: 5,
    backoffBaseMs: 1000,
    backoffMaxMs: 30_000,
    requestTimeoutMs: 5000,
    post: async (_url, headers, body) => {
      const raw = headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
      sent.push({ headers, events: (JSON.parse(raw.toString("utf8")) as { batch: Sent["events"] }).batch });
      return respond(attempt++);
    },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...overrides,
  });
  return { transport, sent, sleeps };
}

describe("backoff", () => {
  it("full jitter: uniform in [0, min(cap, base·2^attempt)]", () => {
    const o = { baseMs: 1000, maxMs: 30_000 };
    expect(fullJitterDelay(0, { ...o, random: () => 0.999 })).toBe(999);
    expect(fullJitterDelay(3, { ...o, random: () => 0.5 })).toBe(4000);
    expect(fullJitterDelay(10, { ...o, random: () => 0.5 })).toBe(15_000);
    expect(fullJitterDelay(10, { ...o, random: () => 0 })).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = fullJitterDelay(2, o);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(4000);
    }
  });

  it("Retry-After: seconds or an HTTP date, capped", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("7", 30_000, now)).toBe(7000);
    expect(retryAfterMs("120", 30_000, now)).toBe(30_000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:10 GMT", 30_000, now)).toBe(10_000);
    expect(retryAfterMs("soon", 30_000, now)).toBeNull();
    expect(retryAfterMs(null, 30_000, now)).toBeNull();
  });
});

describe("transport", () => {
  it("gives every event a client id and sends batches of at most maxBatchEvents", async () => {
    const { transport, sent } = harness({ maxBatchEvents: 3 });
    for (let n = 0; n < 7; n++) transport.enqueue({ type: "log", message: "m", n });
    await transport.flush();
    expect(sent.map((b) => b.events.length)).toEqual([3, 3, 1]);
    const ids = sent.flatMap((b) => b.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(7);
    expect(sent.flatMap((b) => b.events.map((e) => e.n))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(sent[0]!.headers.authorization).toBe("Bearer sl_test");
  });

  it("splits by bytes and gzips bodies above the threshold", async () => {
    const { transport, sent } = harness({ maxBatchBytes: 50_000, gzipAboveBytes: 32_768 });
    const big = "x".repeat(20_000);
    for (let n = 0; n < 5; n++) transport.enqueue({ type: "log", message: big, n });
    transport.enqueue({ type: "log", message: "small" });
    await transport.flush();
    expect(sent.map((b) => b.events.length)).toEqual([2, 2, 2]);
    expect(sent[0]!.headers["content-encoding"]).toBe("gzip");
    const { transport: t2, sent: s2 } = harness();
    t2.enqueue({ type: "log", message: "small" });
    await t2.flush();
    expect(s2[0]!.headers["content-encoding"]).toBeUndefined();
  });

  it("bounds the queue, counts what it drops, and reports the count to the portal", async () => {
    const { transport, sent } = harness({ maxQueueSize: 10 });
    for (let n = 0; n < 25; n++) transport.enqueue({ type: "log", message: "m", n });
    expect(transport.size).toBe(10);
    expect(transport.stats.droppedQueueFull).toBe(15);
    await transport.flush();
    const events = sent.flatMap((b) => b.events);
    expect(events.filter((e) => e.type === "log")).toHaveLength(10);
    expect(events.find((e) => e.type === "metric")).toMatchObject({ name: "sightline.sdk.dropped_events", kind: "counter", value: 15 });
  });

  it("retries 503 with the same body (same client ids) honouring Retry-After, then succeeds", async () => {
    const { transport, sent, sleeps } = harness({}, (attempt) =>
      attempt < 2 ? { status: 503, retryAfter: attempt === 0 ? "3" : undefined } : { status: 200 },
    );
    transport.enqueue({ type: "log", message: "a" });
    transport.enqueue({ type: "log", message: "b" });
    await transport.flush();
    expect(sent).toHaveLength(3);
    expect(sent[1]!.events.map((e) => e.id)).toEqual(sent[0]!.events.map((e) => e.id));
    expect(sleeps).toEqual([3000, 1000]); // Retry-After 3 s, then full jitter 0.5 × 2 s
    expect(transport.stats).toMatchObject({ sent: 2, retries: 2, droppedFailed: 0 });
  });

  it("retries 429/502/504 and network errors, at most maxAttempts; never retries 400", async () => {
    for (const status of [429, 502, 504, 0]) {
      const { transport, sent } = harness({}, () => (status === 0 ? (Promise.reject(new Error("ECONNREFUSED")) as never) : { status }));
      transport.enqueue({ type: "log", message: "x" });
      await transport.flush();
      expect(sent, `status ${status}`).toHaveLength(5);
      expect(transport.stats.droppedFailed).toBe(1);
    }
    const { transport, sent } = harness({}, () => ({ status: 400 }));
    transport.enqueue({ type: "log", message: "x" });
    await transport.flush();
    expect(sent).toHaveLength(1);
    expect(transport.stats.droppedFailed).toBe(1);
  });

  it("counts events the portal rejected in a 207 without retrying", async () => {
    const { transport, sent } = harness({}, () => ({ status: 207, body: '{"accepted":1,"rejected":[{"index":1,"errors":[]}]}' }));
    transport.enqueue({ type: "log", message: "ok" });
    transport.enqueue({ type: "log", message: "bad" });
    await transport.flush();
    expect(sent).toHaveLength(1);
    expect(transport.stats).toMatchObject({ sent: 1, rejected: 1 });
  });

  it("never throws into the app: unserialisable events are counted, enqueue after close ignored", async () => {
    const { transport } = harness();
    const cyclic: Record<string, unknown> = { type: "log" };
    cyclic.self = cyclic;
    expect(() => transport.enqueue(cyclic as never)).not.toThrow();
    expect(transport.stats.droppedFailed).toBe(1);
    await transport.close(100);
    transport.enqueue({ type: "log", message: "late" });
    expect(transport.size).toBe(0);
  });
});
