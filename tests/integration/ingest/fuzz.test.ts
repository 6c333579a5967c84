/**
 * Property-based fuzzing of the four ingest routes through real HTTP and the real route handlers:
 * 10,000 generated and mutated payloads (valid events with fields overwritten by arbitrary values,
 * removed, or joined by strangers; strings with NUL, lone surrogates and long runs; broken JSON and
 * random protobuf bytes). Whatever arrives, the portal answers without a 5xx, and what it
 * acknowledged is exactly what it stored, table by table (so no partial write hides anywhere).
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import * as otlpLogsRoute from "@/app/api/v1/otlp/v1/logs/route";
import * as otlpMetricsRoute from "@/app/api/v1/otlp/v1/metrics/route";
import * as otlpTracesRoute from "@/app/api/v1/otlp/v1/traces/route";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { countAll, makeIngestProject, post } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({
    "/api/v1/ingest": ingestRoute,
    "/api/v1/otlp/v1/logs": otlpLogsRoute,
    "/api/v1/otlp/v1/traces": otlpTracesRoute,
    "/api/v1/otlp/v1/metrics": otlpMetricsRoute,
  });
});
afterAll(() => server.close());

type Tally = Record<string, number>;
const TABLE_OF: Record<string, string> = {
  log: "logs",
  request: "requests",
  error: "error_events",
  llm: "llm_calls",
  span: "spans",
  metric: "metric_points",
  event: "product_events",
};
const hostile = fc.constantFrom("\u0000", "a\u0000b", "\uD800", "x\uDFFFy", "😀", "'; DROP TABLE logs; --", "%s%n", "a".repeat(70_000), "", " ", "\n");
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), hostile);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(-1, 0, 2 ** 53, 3_000_000_000, 1e308));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 3 }));

const now = () => new Date().toISOString();
const hex16 = () => randomUUID().replace(/-/g, "").slice(0, 16);
/**
 * Identical OTLP records are one record (their client id is derived from their content, so a
 * re-export is stored once) and spans are identified by trace and span id: each generated record
 * gets a unique attribute or span id, so that acknowledged counts can equal stored rows.
 */
const unique = <T extends { attributes?: unknown[] }>(records: T[]) =>
  records.map((r) => ({ ...r, attributes: [...(r.attributes ?? []), { key: "fuzz.n", value: { stringValue: randomUUID() } }] }));
const templates: Record<string, () => Record<string, unknown>> = {
  log: () => ({ type: "log", message: "hello", level: "info", attributes: { a: 1 } }),
  request: () => ({ type: "request", method: "GET", path: "/items/1", status: 200, durationMs: 12, userId: "u1" }),
  error: () => ({ type: "error", message: "boom", exception: { values: [{ type: "TypeError", value: "x is undefined" }] } }),
  llm: () => ({ type: "llm", provider: "openai", model: "gpt-4o", inputTokens: 10, outputTokens: 5, latencyMs: 300 }),
  span: () => ({ type: "span", traceId: "0af7651916cd43dd8448eb211c80319c", spanId: hex16(), name: "GET /x", startTime: now(), endTime: now() }),
  metric: () => ({ type: "metric", name: "queue.depth", kind: "gauge", value: 3 }),
  event: () => ({ type: "event", name: "signup", userId: "u1", properties: { plan: "pro" } }),
};
const fieldNames = [
  "type",
  "message",
  "level",
  "timestamp",
  "service",
  "method",
  "path",
  "status",
  "durationMs",
  "userId",
  "model",
  "provider",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "traceId",
  "spanId",
  "name",
  "kind",
  "value",
  "values",
  "attributes",
  "properties",
  "exception",
  "startTime",
  "endTime",
  "environment",
  "release",
];

/** A valid event of some type, then mutated: fields overwritten with anything, removed, or added. */
const event = fc
  .record({
    type: fc.constantFrom(...Object.keys(templates)),
    overwrite: fc.dictionary(fc.constantFrom(...fieldNames), value, { maxKeys: 3 }),
    remove: fc.subarray(fieldNames, { maxLength: 2 }),
    withId: fc.boolean(),
  })
  .map(({ type, overwrite, remove, withId }) => {
    const e: Record<string, unknown> = { ...templates[type]!(), ...overwrite };
    for (const k of remove) delete e[k];
    delete e.id; // ids are unique below: a repeated client id is stored once by design
    if (withId) e.id = randomUUID();
    return e;
  });
const batchEntry = fc.oneof({ weight: 9, arbitrary: event }, { weight: 1, arbitrary: value });

type Payload = { route: string; body: string | Buffer; contentType: string; count: (json: unknown, status: number) => Tally };

/** The batch API: accepted = the indices not listed as rejected, each in its type's table. */
const batchPayload = fc
  .record({ batch: fc.array(batchEntry, { maxLength: 8 }), mangle: fc.constantFrom("none", "none", "none", "truncate", "wrap", "garbage") })
  .map(({ batch, mangle }): Payload => {
    const json = JSON.stringify({ batch });
    const body =
      mangle === "truncate"
        ? json.slice(0, Math.max(1, Math.floor(json.length / 2)))
        : mangle === "wrap"
          ? JSON.stringify(batch)
          : mangle === "garbage"
            ? `{"batch": [${json}`
            : json;
    return {
      route: "/api/v1/ingest",
      body,
      contentType: "application/json",
      count: (res, status) => {
        if (status !== 200 && status !== 207) return {};
        const rejected = new Set(((res as { rejected?: Array<{ index: number }> }).rejected ?? []).map((r) => r.index));
        const tally: Tally = {};
        batch.forEach((e, i) => {
          if (rejected.has(i)) return;
          const table = TABLE_OF[(e as { type: string }).type]!;
          tally[table] = (tally[table] ?? 0) + 1;
        });
        return tally;
      },
    };
  });

const attr = fc.record({
  key: fc.oneof(fc.constantFrom("http.route", "user.id", "k"), text),
  value: fc.oneof(
    fc.record({ stringValue: value }),
    fc.record({ intValue: value }),
    fc.record({ kvlistValue: fc.constant({ values: [{ key: "n", value: { stringValue: "\u0000" } }] }) }),
    value,
  ),
});
const nanos = fc.oneof(fc.constant(`${Date.now()}000000`), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), value);
const otlpCount =
  (kind: "logs" | "traces" | "metrics", table: string, items: number) =>
  (res: unknown, status: number): Tally => {
    if (status !== 200) return {};
    const field = { logs: "rejectedLogRecords", traces: "rejectedSpans", metrics: "rejectedDataPoints" }[kind];
    const rejected = Number((res as { partialSuccess?: Record<string, unknown> }).partialSuccess?.[field] ?? 0);
    return { [table]: items - rejected };
  };

const logsPayload = fc
  .array(
    fc.record(
      {
        timeUnixNano: nanos,
        severityText: fc.oneof(fc.constantFrom("INFO", "ERROR"), value),
        body: fc.oneof(fc.record({ stringValue: text }), value),
        attributes: fc.array(attr, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 6 },
  )
  .map(
    (records): Payload => ({
      route: "/api/v1/otlp/v1/logs",
      contentType: "application/json",
      body: JSON.stringify({
        resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "fuzz" } }] }, scopeLogs: [{ logRecords: unique(records) }] }],
      }),
      count: otlpCount("logs", "logs", records.length),
    }),
  );
const tracesPayload = fc
  .array(
    fc.record(
      {
        traceId: fc.oneof(fc.constant("0af7651916cd43dd8448eb211c80319c"), value),
        spanId: fc.oneof(fc.constant("unique"), value),
        name: fc.oneof(fc.constant("op"), value),
        kind: fc.oneof(fc.integer({ min: 0, max: 5 }), value),
        startTimeUnixNano: nanos,
        endTimeUnixNano: nanos,
        attributes: fc.array(attr, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 6 },
  )
  .map(
    (spans): Payload => ({
      route: "/api/v1/otlp/v1/traces",
      contentType: "application/json",
      body: JSON.stringify({
        resourceSpans: [
          { resource: { attributes: [] }, scopeSpans: [{ spans: spans.map((sp) => (sp.spanId === "unique" ? { ...sp, spanId: hex16() } : sp)) }] },
        ],
      }),
      count: otlpCount("traces", "spans", spans.length),
    }),
  );
const metricsPayload = fc
  .array(
    fc.record(
      { timeUnixNano: nanos, asDouble: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), value), attributes: fc.array(attr, { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
    { maxLength: 6 },
  )
  .map(
    (points): Payload => ({
      route: "/api/v1/otlp/v1/metrics",
      contentType: "application/json",
      body: JSON.stringify({
        resourceMetrics: [
          { resource: { attributes: [] }, scopeMetrics: [{ metrics: [{ name: "fuzz.gauge", unit: "1", gauge: { dataPoints: unique(points) } }] }] },
        ],
      }),
      count: otlpCount("metrics", "metric_points", points.length),
    }),
  );
const protobufPayload = fc.tuple(fc.constantFrom("logs", "traces", "metrics"), fc.uint8Array({ maxLength: 200 })).map(
  ([kind, bytes]): Payload => ({
    route: `/api/v1/otlp/v1/${kind}`,
    contentType: "application/x-protobuf",
    body: Buffer.from(bytes),
    // Random bytes may happen to be a valid (often empty) message: count what the answer claims.
    count: () => ({}),
  }),
);

function add(into: Tally, from: Tally) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Sends `runs` payloads to one fresh project (under its request limit), then compares acknowledged with stored. */
async function fuzz(arbitrary: fc.Arbitrary<Payload>, runs: number, seed: number) {
  const p = await makeIngestProject();
  const acknowledged: Tally = {};
  const statuses = new Map<number, number>();
  let claimedByRandomProtobuf = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (payload) => {
      const res = await post(server.baseUrl, p.ingestKey.secret, payload.body, { "content-type": payload.contentType }, payload.route);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBeLessThan(500);
      if (payload.contentType === "application/x-protobuf" && res.status === 200) claimedByRandomProtobuf += 1;
      add(acknowledged, payload.count(res.json, res.status));
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const stored = await countAll(p.project.id);
  delete stored.error_groups;
  if (claimedByRandomProtobuf === 0)
    for (const [table, n] of Object.entries(stored)) expect(n, `${table}: stored rows = acknowledged events`).toBe(acknowledged[table] ?? 0);
  return { acknowledged, statuses };
}

describe("ingest fuzzing (10,000 payloads)", () => {
  it("the batch API: 4,000 mutated batches, no 5xx, acknowledged = stored per table", { timeout: 600_000 }, async () => {
    const tallies = [];
    for (let chunk = 0; chunk < 4; chunk++) tallies.push(await fuzz(batchPayload, 1000, 1000 + chunk));
    const statuses = new Set(tallies.flatMap((t) => [...t.statuses.keys()]));
    // The generator reaches every outcome: all accepted, partly accepted, refused whole.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 207, 400]));
    expect(tallies.reduce((n, t) => n + (t.acknowledged.logs ?? 0), 0)).toBeGreaterThan(100);
  });

  it("OTLP JSON logs, traces and metrics: 5,000 mutated exports, no 5xx, acknowledged = stored", { timeout: 600_000 }, async () => {
    const results = [];
    for (let chunk = 0; chunk < 2; chunk++) results.push(await fuzz(logsPayload, 1000, 2000 + chunk));
    for (let chunk = 0; chunk < 2; chunk++) results.push(await fuzz(tracesPayload, 1000, 3000 + chunk));
    results.push(await fuzz(metricsPayload, 1000, 4000));
    for (const table of ["logs", "spans", "metric_points"])
      expect(
        results.reduce((n, r) => n + (r.acknowledged[table] ?? 0), 0),
        table,
      ).toBeGreaterThan(50);
  });

  it("OTLP protobuf: 1,000 random byte strings, no 5xx", { timeout: 600_000 }, async () => {
    const { statuses } = await fuzz(protobufPayload, 1000, 5000);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });
});
