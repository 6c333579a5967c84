import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, ingest, makeProjectWithKeys, startApiServer } from "./fixtures";

// Every event type goes in through POST /api/v1/ingest (the real route) and comes back out of
// the read API with the values it was sent with.

let server: Awaited<ReturnType<typeof startApiServer>>;
let p: Awaited<ReturnType<typeof makeProjectWithKeys>>;
const now = Date.now();
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
const traceId = "0af7651916cd43dd8448eb211c80319c";

const log = {
  type: "log",
  id: "log-1",
  timestamp: at(50),
  level: "error",
  message: "payment declined for order 991",
  logger: "payments",
  service: "api",
  environment: "prod",
  release: "7.1.0",
  attributes: { orderId: 991, nested: { retry: true } },
  traceId,
  spanId: "b7ad6b7169203331",
  userId: "user-5",
  requestId: "req-77",
};
const request = {
  type: "request",
  timestamp: at(49),
  method: "post",
  route: "/orders/[id]/pay",
  path: "/orders/991/pay",
  status: 502,
  durationMs: 812.5,
  requestSize: 512,
  responseSize: 64,
  userAgent: "curl/8.5",
  clientIp: "198.51.100.4",
  userId: "user-5",
  requestId: "req-77",
  requestHeaders: { "content-type": "application/json", authorization: "Bearer secret-value" },
  responseHeaders: { "x-served-by": "edge-1" },
  service: "api",
  environment: "prod",
  traceId,
  spanId: "b7ad6b7169203331",
};
const error = {
  type: "error",
  timestamp: at(48),
  level: "error",
  message: "Gateway timeout from acquirer",
  release: "7.1.0",
  environment: "prod",
  service: "api",
  tags: { region: "eu-west-1" },
  user: { id: "user-5", email: "five@example.test" },
  exception: {
    values: [
      {
        type: "AcquirerTimeout",
        value: "Gateway timeout from acquirer",
        stacktrace: {
          frames: [
            { filename: "server.ts", function: "handle", lineno: 10, in_app: true },
            { filename: "acquirer.ts", function: "charge", lineno: 44, colno: 7, in_app: true },
          ],
        },
      },
    ],
  },
  traceId,
};
// claude-sonnet-4: 5000 plain input × $3 + 4000 cache reads × $0.30 + 1000 cache writes × $3.75 + 2000 output × $15 per 1M.
const llm = {
  type: "llm",
  timestamp: at(47),
  provider: "anthropic",
  model: "claude-sonnet-4-20250514",
  operation: "chat",
  inputTokens: 10000,
  cachedInputTokens: 4000,
  cacheWriteTokens: 1000,
  outputTokens: 2000,
  reasoningTokens: 0,
  latencyMs: 2300,
  timeToFirstTokenMs: 420,
  status: "ok",
  userId: "user-5",
  feature: "order-summary",
  prompt: "Summarise order 991",
  completion: "Order 991: 3 items, paid.",
  service: "api",
  environment: "prod",
  traceId,
};
const clientPriced = { ...llm, model: "my-finetune-v3", provider: "custom", costUsd: 0.125, feature: "custom-model", timestamp: at(46) };
const span = {
  type: "span",
  traceId,
  spanId: "b7ad6b7169203331",
  name: "POST /orders/[id]/pay",
  kind: "server",
  startTime: at(50),
  endTime: new Date(now - 50_000 + 1234).toISOString(),
  status: "error",
  statusMessage: "upstream 502",
  attributes: { "http.route": "/orders/[id]/pay" },
  service: "api",
  environment: "prod",
};
const metrics = [
  { type: "metric", timestamp: at(45), name: "orders.paid", kind: "counter", value: 2, unit: "1", service: "api" },
  { type: "metric", timestamp: at(44), name: "orders.paid", kind: "counter", value: 3, unit: "1", service: "api" },
  { type: "metric", timestamp: at(43), name: "queue.depth", kind: "gauge", value: 9, service: "api" },
  { type: "metric", timestamp: at(42), name: "queue.depth", kind: "gauge", value: 4, service: "api" },
  { type: "metric", timestamp: at(41), name: "checkout.ms", kind: "histogram", values: [120, 80, 400], unit: "ms", service: "api" },
];
const productEvent = { type: "event", timestamp: at(40), name: "checkout.completed", userId: "user-5", sessionId: "s-1", properties: { plan: "pro" }, traceId };

beforeAll(async () => {
  server = await startApiServer();
  p = await makeProjectWithKeys();
  const res = await ingest(server.baseUrl, p.ingestKey, [log, request, error, llm, clientPriced, span, ...metrics, productEvent]);
  expect(res.body.rejected).toEqual([]);
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

const read = (path: string) => getJson(server.baseUrl, p.readKey, path);

describe("read API round trip of events sent to /api/v1/ingest", () => {
  it("logs", async () => {
    const { status, body } = await read("/api/v1/logs?service=api&level=error,fatal&q=declined");
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(1);
    const { type: _t, id: _id, timestamp, ...rest } = log;
    expect(body.items[0]).toMatchObject({ ...rest, time: timestamp });
  });

  it("requests, with sensitive headers redacted", async () => {
    const { body } = await read("/api/v1/requests?status=5xx&method=POST&route=%2Forders%2F%5Bid%5D%2Fpay");
    expect(body.items).toHaveLength(1);
    const { type: _t, timestamp, method, requestHeaders, ...rest } = request;
    expect(body.items[0]).toMatchObject({ ...rest, method: method.toUpperCase(), time: timestamp });
    expect(body.items[0].requestHeaders).toEqual({ ...requestHeaders, authorization: "[REDACTED]" });
    expect(body.items[0].redactions.length).toBeGreaterThan(0);
    expect((await read("/api/v1/requests?status=404")).body.items).toEqual([]);
  });

  it("error groups and their events", async () => {
    const groups = await read("/api/v1/errors?status=unresolved&environment=prod&q=gateway");
    expect(groups.body.items).toHaveLength(1);
    const group = groups.body.items[0];
    expect(group).toMatchObject({ type: "AcquirerTimeout", level: "error", status: "unresolved", count: 1, lastRelease: "7.1.0" });
    const events = await read(`/api/v1/errors/${group.id}/events`);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      groupId: group.id,
      time: error.timestamp,
      level: "error",
      message: error.message,
      release: "7.1.0",
      environment: "prod",
      service: "api",
      traceId,
      tags: error.tags,
      user: error.user,
      exception: error.exception,
    });
  });

  it("LLM calls, priced to the cent from the table or taken from the client", async () => {
    const { body } = await read("/api/v1/llm-calls?service=api");
    expect(body.items).toHaveLength(2);
    const [custom, sonnet] = body.items;
    const { type: _t, timestamp, ...rest } = llm;
    expect(sonnet).toMatchObject({ ...rest, time: timestamp, costSource: "table" });
    expect(sonnet.costUsd).toBeCloseTo(0.04995, 10);
    expect(sonnet.priceId).toEqual(expect.any(String));
    expect(custom).toMatchObject({ model: "my-finetune-v3", costUsd: 0.125, costSource: "client" });
    expect((await read("/api/v1/llm-calls?feature=order-summary&status=ok")).body.items).toHaveLength(1);
  });

  it("spans, with the logs, errors, LLM calls and requests of their trace", async () => {
    const { status, body } = await read(`/api/v1/traces/${traceId}`);
    expect(status).toBe(200);
    expect(body.spans).toHaveLength(1);
    const { type: _t, ...rest } = span;
    expect(body.spans[0]).toMatchObject({ ...rest, durationMs: 1234 });
    expect(body.durationMs).toBe(1234);
    expect(body.logs.map((l: { message: string }) => l.message)).toEqual([log.message]);
    expect(body.errors.map((e: { type: string }) => e.type)).toEqual(["AcquirerTimeout"]);
    expect(body.llmCalls.map((c: { model: string }) => c.model)).toEqual([llm.model, clientPriced.model]);
    expect(body.requests.map((r: { path: string }) => r.path)).toEqual([request.path]);
  });

  it("metrics, summarised per series", async () => {
    const { body } = await read("/api/v1/metrics/summary?service=api");
    const byName = Object.fromEntries(body.items.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName)).toEqual(["checkout.ms", "orders.paid", "queue.depth"]);
    expect(byName["orders.paid"]).toMatchObject({ kind: "counter", unit: "1", points: 2, sum: 5, last: 3 });
    expect(byName["queue.depth"]).toMatchObject({ kind: "gauge", points: 2, min: 4, max: 9, avg: 6.5, last: 4 });
    expect(byName["checkout.ms"]).toMatchObject({ kind: "histogram", unit: "ms", count: 3, sum: 600, min: 80, max: 400, avg: 200 });
  });

  it("product events", async () => {
    const { body } = await read("/api/v1/events?name=checkout.completed");
    expect(body.items).toHaveLength(1);
    const { type: _t, timestamp, ...rest } = productEvent;
    expect(body.items[0]).toMatchObject({ ...rest, time: timestamp });
  });

  it("time ranges filter every list", async () => {
    const from = encodeURIComponent(at(45.5));
    const to = encodeURIComponent(at(42.5));
    const { body } = await read(`/api/v1/metrics/summary?from=${from}&to=${to}`);
    expect(body.items.map((m: { name: string; points: number }) => [m.name, m.points])).toEqual([
      ["orders.paid", 2],
      ["queue.depth", 1],
    ]);
    expect((await read(`/api/v1/logs?from=${from}`)).body.items).toEqual([]);
    expect((await read(`/api/v1/logs?to=${from}`)).body.items).toHaveLength(1);
  });
});
