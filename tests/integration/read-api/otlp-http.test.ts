import { gzipSync } from "node:zlib";
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { getJson, makeProjectWithKeys, startApiServer } from "./fixtures";

// The OTLP/HTTP protocol details, over real HTTP: formats, partial success, errors, limits.

let server: Awaited<ReturnType<typeof startApiServer>>;
let p: Awaited<ReturnType<typeof makeProjectWithKeys>>;
beforeAll(async () => {
  server = await startApiServer();
  p = await makeProjectWithKeys();
});
afterAll(async () => {
  await server.close();
});

const nanos = (msAgo: number) => `${BigInt(Date.now() - msAgo) * 1_000_000n}`;

async function post(signal: "traces" | "logs" | "metrics", body: string | Uint8Array, headers: Record<string, string> = {}, key: string | null = p.ingestKey) {
  const res = await fetch(`${server.baseUrl}/api/v1/otlp/v1/${signal}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8"));

const traceHex = "5b8efff798038103d269b633813fc60c";
const resource = {
  attributes: [
    { key: "service.name", value: { stringValue: "json-svc" } },
    { key: "deployment.environment.name", value: { stringValue: "qa" } },
  ],
};

describe("OTLP/HTTP JSON", () => {
  it("takes hex and base64 ids, and answers partialSuccess naming each rejected span", async () => {
    const spans = [
      { traceId: traceHex, spanId: "eee19b7ec3c1b174", name: "hex ids", kind: 2, startTimeUnixNano: nanos(3000), endTimeUnixNano: nanos(2000) },
      {
        traceId: Buffer.from(traceHex, "hex").toString("base64"),
        spanId: Buffer.from("eee19b7ec3c1b175", "hex").toString("base64"),
        parentSpanId: "eee19b7ec3c1b174",
        name: "base64 ids",
        startTimeUnixNano: nanos(2900),
        endTimeUnixNano: nanos(2100),
        attributes: [
          { key: "deep", value: { kvlistValue: { values: [{ key: "a", value: { arrayValue: { values: [{ intValue: "9007199254740993" }] } } }] } } },
        ],
      },
      { traceId: traceHex, name: "no span id", startTimeUnixNano: nanos(2800) },
      { traceId: traceHex, spanId: "eee19b7ec3c1b176", name: "from 2001", startTimeUnixNano: "978307200000000000", endTimeUnixNano: "978307201000000000" },
    ];
    const res = await post("traces", JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: "raw" }, spans }] }] }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = json(res.bytes);
    expect(body.partialSuccess.rejectedSpans).toBe("2");
    expect(body.partialSuccess.errorMessage).toMatch(/span 2: spanId/);
    expect(body.partialSuccess.errorMessage).toMatch(/span 3: startTime is more than/);

    const trace = await getJson(server.baseUrl, p.readKey, `/api/v1/traces/${traceHex}`);
    expect(trace.body.spans.map((s: { name: string; spanId: string }) => [s.name, s.spanId])).toEqual([
      ["hex ids", "eee19b7ec3c1b174"],
      ["base64 ids", "eee19b7ec3c1b175"],
    ]);
    expect(trace.body.spans[0]).toMatchObject({ kind: "server", service: "json-svc", environment: "qa" });
    expect(trace.body.spans[1].attributes.deep).toEqual({ a: ["9007199254740993"] });
  });

  it("answers an all-accepted request with an empty response object", async () => {
    const res = await post(
      "logs",
      JSON.stringify({
        resourceLogs: [{ resource, scopeLogs: [{ logRecords: [{ timeUnixNano: nanos(100), severityText: "Warning", body: { stringValue: "json log" } }] }] }],
      }),
    );
    expect(res.status).toBe(200);
    expect(json(res.bytes)).toEqual({});
    const logs = await getJson(server.baseUrl, p.readKey, "/api/v1/logs?q=json%20log");
    expect(logs.body.items[0]).toMatchObject({ level: "warn", service: "json-svc", environment: "qa" });
  });

  it("maps metrics: sums, gauges and histograms, summarised by the read API", async () => {
    const point = (v: number, ago: number) => ({ asDouble: v, timeUnixNano: nanos(ago), attributes: [{ key: "route", value: { stringValue: "/x" } }] });
    const metrics = [
      {
        name: "otlp.requests",
        unit: "1",
        sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [point(2, 300), { asInt: "5", timeUnixNano: nanos(200) }] },
      },
      { name: "otlp.open_conns", gauge: { dataPoints: [point(7, 250)] } },
      {
        name: "otlp.latency",
        unit: "ms",
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [{ timeUnixNano: nanos(150), count: "4", sum: 100, min: 5, max: 60, explicitBounds: [10, 50], bucketCounts: ["1", "2", "1"] }],
        },
      },
      { name: "otlp.broken", gauge: { dataPoints: [{ timeUnixNano: nanos(100) }] } },
    ];
    const res = await post("metrics", JSON.stringify({ resourceMetrics: [{ resource, scopeMetrics: [{ metrics }] }] }));
    expect(res.status).toBe(200);
    expect(json(res.bytes).partialSuccess).toMatchObject({ rejectedDataPoints: "1" });
    const summary = await getJson(server.baseUrl, p.readKey, "/api/v1/metrics/summary?service=json-svc");
    const byName = Object.fromEntries(summary.body.items.map((m: { name: string }) => [m.name, m]));
    expect(byName["otlp.requests"]).toMatchObject({ kind: "counter", points: 2, sum: 7 });
    expect(byName["otlp.open_conns"]).toMatchObject({ kind: "gauge", last: 7 });
    expect(byName["otlp.latency"]).toMatchObject({ kind: "histogram", count: 4, sum: 100, min: 5, max: 60 });
    expect(byName["otlp.broken"]).toBeUndefined();
  });

  it("redacts secrets in OTLP attributes like any other ingest path", async () => {
    const spans = [
      {
        traceId: "7a8b9c0d1e2f30415263748596a7b8c9",
        spanId: "0102030405060708",
        name: "GET /me",
        startTimeUnixNano: nanos(500),
        attributes: [
          { key: "http.request.header.authorization", value: { arrayValue: { values: [{ stringValue: "Bearer abc.def" }] } } },
          { key: "db.password", value: { stringValue: "hunter2" } },
          { key: "note", value: { stringValue: "card 4111 1111 1111 1111" } },
        ],
      },
    ];
    expect((await post("traces", JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans }] }] }))).status).toBe(200);
    const { rows } = await pool.query(`SELECT attributes FROM spans WHERE project_id = $1 AND span_id = '0102030405060708'`, [p.projectId]);
    expect(rows[0].attributes).toMatchObject({
      "http.request.header.authorization": "[REDACTED]",
      "db.password": "[REDACTED]",
      note: "card [REDACTED]",
    });
  });
});

describe("OTLP/HTTP protobuf", () => {
  it("answers partial success in protobuf, readable by the exporter's deserializer", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const tracer = provider.getTracer("proto");
    tracer.startSpan("recent").end();
    tracer.startSpan("ancient", { startTime: new Date("2001-01-01T00:00:00Z") }).end(new Date("2001-01-01T00:00:01Z"));
    await provider.forceFlush();
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
    const res = await post("traces", body, { "content-type": "application/x-protobuf" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const decoded = ProtobufTraceSerializer.deserializeResponse(res.bytes);
    expect(decoded.partialSuccess?.rejectedSpans).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/span 1/);
  });

  it("refuses a malformed protobuf body with 400", async () => {
    const res = await post("logs", new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { "content-type": "application/x-protobuf" });
    expect(res.status).toBe(400);
  });

  it("answers an empty export with success", async () => {
    const res = await post("logs", ProtobufLogsSerializer.serializeRequest([])!, { "content-type": "application/x-protobuf" });
    expect(res.status).toBe(200);
  });
});

describe("OTLP/HTTP errors and limits", () => {
  const emptyTraces = JSON.stringify({ resourceSpans: [] });

  it("401 without a key (with WWW-Authenticate), 401 for an unknown key, 403 for a read key", async () => {
    const none = await post("traces", emptyTraces, {}, null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/Bearer/);
    expect(json(none.bytes)).toMatchObject({ code: 16, error: { code: "missing_api_key" } });
    expect((await post("traces", emptyTraces, {}, "sl_ingest_NotARealKeyNotARealKeyNotARealKey0")).status).toBe(401);
    const read = await post("traces", emptyTraces, {}, p.readKey);
    expect(read.status).toBe(403);
    expect(json(read.bytes)).toMatchObject({ code: 7, error: { code: "insufficient_scope" } });
  });

  it("415 for a content type OTLP/HTTP does not define", async () => {
    expect((await post("traces", emptyTraces, { "content-type": "text/plain" })).status).toBe(415);
  });

  it("400 for malformed JSON and for JSON that is not an export request", async () => {
    expect((await post("traces", "{not json")).status).toBe(400);
    const wrong = await post("traces", JSON.stringify({ resourceSpans: "all of them" }));
    expect(wrong.status).toBe(400);
    expect(json(wrong.bytes).message).toMatch(/resourceSpans/);
  });

  it("gzip is inflated; a gzip bomb and an over-size body are refused with 413, storing nothing", async () => {
    const logs = { resourceLogs: [{ resource, scopeLogs: [{ logRecords: [{ timeUnixNano: nanos(10), body: { stringValue: "zipped log" } }] }] }] };
    expect((await post("logs", gzipSync(JSON.stringify(logs)), { "content-encoding": "gzip" })).status).toBe(200);
    expect((await getJson(server.baseUrl, p.readKey, "/api/v1/logs?q=zipped")).body.items).toHaveLength(1);

    const before = await pool.query(`SELECT count(*)::int AS n FROM logs WHERE project_id = $1`, [p.projectId]);
    const bomb = gzipSync(
      Buffer.concat([Buffer.from(JSON.stringify(logs).slice(0, -1) + ',"pad":"'), Buffer.alloc(64 * 1024 * 1024, 0x61), Buffer.from('"}')]),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect((await post("logs", bomb, { "content-encoding": "gzip" })).status).toBe(413);
    expect((await post("logs", Buffer.alloc(6 * 1024 * 1024, 0x20))).status).toBe(413);
    expect((await post("logs", gzipSync("garbage"), { "content-encoding": "br" })).status).toBe(415);
    const after = await pool.query(`SELECT count(*)::int AS n FROM logs WHERE project_id = $1`, [p.projectId]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
