/** The benchmarks' event mix: all seven types in realistic sizes; "@@" in ids is replaced per request to keep them unique. */
import { randomBytes } from "node:crypto";

const words = "the quick brown fox jumps over lazy dog user order payment cache queue worker retry timeout request".split(" ");
export const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;
const sentence = (i: number, n: number) => Array.from({ length: n }, (_, k) => pick(words, i * 7 + k * 3)).join(" ");
export const hex = (n: number) => randomBytes(n).toString("hex");

export function makeEvent(i: number, now: number): Record<string, unknown> {
  const ts = new Date(now - (i % 1000)).toISOString();
  const traceId = hex(16);
  const common = { id: `@@-${i}`, timestamp: ts, service: pick(["api", "web", "worker"], i), environment: "production", release: "2026.11.27" };
  const r = i % 20;
  if (r < 8) {
    return {
      ...common,
      type: "log",
      level: pick(["info", "info", "warn", "error", "debug"], i),
      message: `${sentence(i, 18)} id=${i}`,
      logger: "app.http",
      traceId,
      spanId: hex(8),
      userId: `user-${i % 500}`,
      requestId: hex(8),
      attributes: { route: "/api/orders/:id", attempt: i % 3, region: "eu-west-1", feature: { flag: "beta", on: true } },
    };
  }
  if (r < 12) {
    return {
      ...common,
      type: "request",
      method: pick(["GET", "POST", "PUT"], i),
      route: "/api/orders/:id",
      path: `/api/orders/${i}`,
      status: pick([200, 200, 201, 404, 500], i),
      durationMs: (i % 400) + 0.5,
      requestSize: 512,
      responseSize: 4096,
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131 Safari/537.36",
      clientIp: "203.0.113.7",
      traceId,
      requestHeaders: { accept: "application/json", authorization: "Bearer secret", "user-agent": "Mozilla/5.0" },
      responseHeaders: { "content-type": "application/json", "cache-control": "no-store" },
    };
  }
  if (r < 16) {
    return {
      ...common,
      type: "span",
      traceId,
      spanId: `@@-${i}`,
      parentSpanId: hex(8),
      name: "GET /api/orders/:id",
      kind: "server",
      startTime: ts,
      endTime: new Date(Date.parse(ts) + (i % 200)).toISOString(),
      status: "ok",
      attributes: { "http.method": "GET", "http.route": "/api/orders/:id", "http.status_code": 200, "net.peer.name": "db.internal" },
    };
  }
  if (r === 16) {
    return {
      ...common,
      type: "llm",
      provider: "openai",
      model: pick(["gpt-4o-2024-08-06", "gpt-4o-mini", "claude-sonnet-4-20250514"], i),
      operation: "chat",
      inputTokens: 1800,
      cachedInputTokens: 1024,
      outputTokens: 350,
      reasoningTokens: 0,
      latencyMs: 1450,
      timeToFirstTokenMs: 320,
      userId: `user-${i % 500}`,
      feature: "summarise",
      traceId,
      prompt: sentence(i, 120),
      completion: sentence(i + 1, 60),
    };
  }
  if (r === 17) {
    return {
      ...common,
      type: "error",
      level: "error",
      traceId,
      tags: { region: "eu" },
      user: { id: `user-${i % 500}` },
      exception: {
        values: [
          {
            type: pick(["TypeError", "RangeError"], i),
            value: `Cannot read properties of undefined (reading 'id') #${i}`,
            stacktrace: {
              frames: Array.from({ length: 10 }, (_, k) => ({
                filename: `/srv/app/src/${pick(["orders", "users", "db", "http"], k + i)}.ts`,
                function: `Service.fn${k}`,
                lineno: 10 + k,
                colno: 5,
                in_app: k > 3,
              })),
            },
          },
        ],
      },
    };
  }
  if (r === 18) {
    return {
      ...common,
      type: "metric",
      name: "http.server.duration",
      kind: "histogram",
      unit: "ms",
      count: 20,
      sum: 1234.5,
      min: 3,
      max: 410,
      explicitBounds: [10, 50, 100, 500],
      bucketCounts: [4, 8, 5, 3, 0],
      attributes: { route: "/api/orders/:id" },
    };
  }
  return {
    ...common,
    type: "event",
    name: pick(["report.exported", "signup", "chat.opened"], i),
    userId: `user-${i % 500}`,
    sessionId: hex(8),
    properties: { plan: "pro", source: "web" },
  };
}
