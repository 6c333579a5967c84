import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { mapOtlpLogs } from "@/server/ingest/otlp/map-logs";
import { mapOtlpMetrics } from "@/server/ingest/otlp/map-metrics";
import { mapOtlpTraces } from "@/server/ingest/otlp/map-traces";
import { ZOtlpLogsRequest, ZOtlpMetricsRequest, ZOtlpTracesRequest } from "@/server/ingest/otlp/schemas";
import { decodeOtlpBody, encodeOtlpResponse } from "@/server/ingest/otlp/wire";
import { ZIngestEvent } from "@/server/ingest/schemas";

// The SDK's own serializers (what the OTLP exporters send) produce the bodies, so these tests
// check the protobuf descriptor and the JSON reading against the real wire format.

const resource = resourceFromAttributes({ "service.name": "checkout", "deployment.environment.name": "staging", "service.version": "1.4.2" });

const NODE_STACK = `TypeError: Cannot read properties of undefined (reading 'id')
    at loadCart (/app/src/cart.ts:42:17)
    at async handler (/app/src/routes/checkout.ts:12:5)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;

async function recordSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("checkout-tracer");
  const start = Date.now() - 2000;
  const http = { "http.method": "POST", "http.target": "/checkout?step=2", "http.status_code": 500, "http.route": "/checkout" };
  tracer.startActiveSpan("POST /checkout", { kind: SpanKind.SERVER, startTime: start, attributes: http }, (root) => {
    const chat = tracer.startSpan("chat gpt-4o", {
      kind: SpanKind.CLIENT,
      startTime: start + 10,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 1200,
        "gen_ai.usage.cache_read.input_tokens": 200,
        "gen_ai.usage.output_tokens": 300,
        "gen_ai.usage.reasoning.output_tokens": 100,
        "user.id": "u-7",
      },
    });
    chat.end(start + 810);
    const legacy = tracer.startSpan("chat claude", {
      kind: SpanKind.CLIENT,
      startTime: start + 900,
      attributes: {
        "gen_ai.system": "anthropic",
        "gen_ai.request.model": "claude-3-5-haiku-20241022",
        "gen_ai.usage.prompt_tokens": 50,
        "gen_ai.usage.completion_tokens": 20,
        "error.type": "rate_limited",
      },
    });
    legacy.end(start + 950);
    root.recordException(Object.assign(new TypeError("Cannot read properties of undefined (reading 'id')"), { stack: NODE_STACK }));
    root.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
    root.end(start + 1000);
  });
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function tracesFrom(body: Uint8Array, format: "protobuf" | "json") {
  return mapOtlpTraces(ZOtlpTracesRequest.parse(decodeOtlpBody("traces", format, body)));
}

describe("OTLP traces → span, llm and error events", () => {
  it("decodes the SDK's protobuf and JSON to the same events", async () => {
    const spans = await recordSpans();
    const fromProto = tracesFrom(ProtobufTraceSerializer.serializeRequest(spans)!, "protobuf");
    const fromJson = tracesFrom(JsonTraceSerializer.serializeRequest(spans)!, "json");
    expect(fromProto.itemCount).toBe(3);
    expect(fromProto.invalid).toEqual([]);
    expect(fromJson.events).toEqual(fromProto.events);
    for (const event of fromProto.events) expect(ZIngestEvent.safeParse(event).error).toBeUndefined();
  });

  it("maps spans, GenAI attributes (current and deprecated names) and exception events", async () => {
    const spans = await recordSpans();
    const { events, origins } = tracesFrom(ProtobufTraceSerializer.serializeRequest(spans)!, "protobuf");
    const root = spans.find((s) => s.name === "POST /checkout")!;
    const byType = (t: string) => events.filter((e) => e.type === t);
    expect(byType("span")).toHaveLength(3);
    const rootSpan = byType("span").find((e) => e.type === "span" && e.name === "POST /checkout")!;
    expect(rootSpan).toMatchObject({
      traceId: root.spanContext().traceId,
      spanId: root.spanContext().spanId,
      kind: "server",
      status: "error",
      statusMessage: "boom",
      service: "checkout",
      environment: "staging",
      release: "1.4.2",
    });
    const llm = byType("llm");
    expect(llm).toHaveLength(2);
    expect(llm[0]).toMatchObject({
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      operation: "chat",
      inputTokens: 1200,
      cachedInputTokens: 200,
      outputTokens: 300,
      reasoningTokens: 100,
      latencyMs: 800,
      status: "ok",
      userId: "u-7",
      service: "checkout",
    });
    expect(llm[1]).toMatchObject({
      provider: "anthropic",
      model: "claude-3-5-haiku-20241022",
      inputTokens: 50,
      outputTokens: 20,
      status: "error",
      errorType: "rate_limited",
    });
    expect(byType("request")).toEqual([
      expect.objectContaining({ method: "POST", route: "/checkout", path: "/checkout", status: 500, durationMs: 1000, traceId: root.spanContext().traceId }),
    ]);
    const [error] = byType("error");
    expect(error).toMatchObject({
      traceId: root.spanContext().traceId,
      spanId: root.spanContext().spanId,
      message: "Cannot read properties of undefined (reading 'id')",
      exception: { values: [{ type: "TypeError", value: "Cannot read properties of undefined (reading 'id')" }] },
    });
    const frames = error!.type === "error" ? error!.exception!.values[0]!.stacktrace!.frames : [];
    expect(frames.map((f) => [f.function, f.filename, f.lineno, f.in_app])).toEqual([
      ["processTicksAndRejections", "task_queues", 95, false],
      ["handler", "checkout.ts", 12, true],
      ["loadCart", "cart.ts", 42, true],
    ]);
    expect(origins.filter((o) => o.primary)).toHaveLength(3);
  });

  it("accepts base64 ids, rejects a span without a usable id without sinking its neighbours", () => {
    const traceHex = "5b8efff798038103d269b633813fc60c";
    const span = (spanId: string, traceId = traceHex) => ({ traceId, spanId, name: "x", startTimeUnixNano: "1764201600000000000" });
    const batch = mapOtlpTraces(
      ZOtlpTracesRequest.parse({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  span(Buffer.from("eee19b7ec3c1b174", "hex").toString("base64"), Buffer.from(traceHex, "hex").toString("base64")),
                  span("0000000000000000"),
                  { name: "no ids" },
                  span("EEE19B7EC3C1B175"),
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(batch.itemCount).toBe(4);
    expect(batch.invalid.map((i) => i.item)).toEqual([1, 2]);
    expect(batch.events.map((e) => e.type === "span" && [e.traceId, e.spanId])).toEqual([
      [traceHex, "eee19b7ec3c1b174"],
      [traceHex, "eee19b7ec3c1b175"],
    ]);
    expect(batch.events[0]).toMatchObject({ startTime: 1764201600000, kind: "internal", status: "unset" });
  });

  it("gives the same span the same client id on a retry", async () => {
    const spans = await recordSpans();
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(tracesFrom(body, "protobuf").events.map((e) => e.id)).toEqual(tracesFrom(body, "protobuf").events.map((e) => e.id));
  });

  it("trims an oversized attribute instead of rejecting the span", () => {
    const batch = mapOtlpTraces(
      ZOtlpTracesRequest.parse({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: "5b8efff798038103d269b633813fc60c",
                    spanId: "eee19b7ec3c1b174",
                    name: "big",
                    startTimeUnixNano: "1764201600000000000",
                    attributes: [
                      { key: "small", value: { intValue: "7" } },
                      ...Array.from({ length: 40 }, (_, i) => ({ key: `blob${i}`, value: { stringValue: "x".repeat(3000) } })),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const [span] = batch.events;
    expect(ZIngestEvent.safeParse(span).success).toBe(true);
    const attributes = span?.type === "span" ? span.attributes : undefined;
    expect(attributes?.small).toBe(7);
    expect(attributes?.["sightline.truncated_attributes"]).toBeTruthy();
  });
});

describe("OTLP logs → log (and error) events", () => {
  async function recordLogs() {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger("orders");
    logger.emit({ severityNumber: SeverityNumber.WARN, severityText: "WARN", body: "stock low", attributes: { sku: "A-1", "user.id": "u-1" } });
    logger.emit({ severityText: "critical", body: { order: 17, ok: false } });
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      body: "payment failed",
      attributes: { "exception.type": "PaymentError", "exception.message": "card declined", "exception.stacktrace": NODE_STACK },
    });
    await provider.forceFlush();
    return exporter.getFinishedLogRecords();
  }

  it("maps severity, body, scope and exception attributes, the same from protobuf and JSON", async () => {
    const records = await recordLogs();
    const proto = mapOtlpLogs(ZOtlpLogsRequest.parse(decodeOtlpBody("logs", "protobuf", ProtobufLogsSerializer.serializeRequest(records)!)));
    const json = mapOtlpLogs(ZOtlpLogsRequest.parse(decodeOtlpBody("logs", "json", JsonLogsSerializer.serializeRequest(records)!)));
    expect(json.events).toEqual(proto.events);
    expect(proto.itemCount).toBe(3);
    const logs = proto.events.filter((e) => e.type === "log");
    expect(logs.map((l) => l.type === "log" && [l.level, l.message, l.logger, l.service, l.environment])).toEqual([
      ["warn", "stock low", "orders", "checkout", "staging"],
      ["fatal", '{"order":17,"ok":false}', "orders", "checkout", "staging"],
      ["error", "payment failed", "orders", "checkout", "staging"],
    ]);
    expect(logs[0]).toMatchObject({ userId: "u-1", attributes: { sku: "A-1" } });
    const errors = proto.events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: "card declined", exception: { values: [{ type: "PaymentError" }] } });
    for (const event of proto.events) expect(ZIngestEvent.safeParse(event).error).toBeUndefined();
  });
});

describe("OTLP metrics → metric events", () => {
  async function collect(temporality: AggregationTemporality) {
    const exporter = new InMemoryMetricExporter(temporality);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter("shop");
    meter.createCounter("orders", { unit: "1" }).add(3, { region: "eu" });
    meter.createHistogram("latency", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100] } }).record(5);
    meter.createHistogram("latency", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100] } }).record(50);
    meter.createGauge("queue.depth").record(12);
    await reader.forceFlush();
    const metrics = exporter.getMetrics();
    await provider.shutdown();
    return metrics;
  }

  it("maps sums to counters with their temporality and start time, gauges and histograms, same from protobuf and JSON", async () => {
    for (const temporality of [AggregationTemporality.DELTA, AggregationTemporality.CUMULATIVE]) {
      const [rm] = await collect(temporality);
      const proto = mapOtlpMetrics(ZOtlpMetricsRequest.parse(decodeOtlpBody("metrics", "protobuf", ProtobufMetricsSerializer.serializeRequest(rm!)!)));
      const json = mapOtlpMetrics(ZOtlpMetricsRequest.parse(decodeOtlpBody("metrics", "json", JsonMetricsSerializer.serializeRequest(rm!)!)));
      expect(json.events).toEqual(proto.events);
      const byName = Object.fromEntries(proto.events.map((e) => [e.type === "metric" && e.name, e]));
      expect(byName.orders).toMatchObject({
        kind: "counter",
        metricType: "sum",
        monotonic: true,
        temporality: temporality === AggregationTemporality.DELTA ? "delta" : "cumulative",
        startTimestamp: expect.any(Number),
        resourceKey: expect.stringMatching(/^[0-9a-f]{32}$/),
        value: 3,
        unit: "1",
        attributes: { region: "eu" },
        service: "checkout",
      });
      expect(byName.latency).toMatchObject({
        kind: "histogram",
        metricType: "histogram",
        count: 2,
        sum: 55,
        min: 5,
        max: 50,
        explicitBounds: [10, 100],
        bucketCounts: [1, 1, 0],
      });
      expect(byName["queue.depth"]).toMatchObject({ kind: "gauge", metricType: "gauge", value: 12 });
      for (const event of proto.events) expect(ZIngestEvent.safeParse(event).error).toBeUndefined();
    }
  });
});

describe("OTLP responses", () => {
  it("encodes partial success so the exporter's own deserializer reads it", () => {
    const encoded = encodeOtlpResponse("traces", "protobuf", { rejected: 2, errorMessage: "span 1: bad" });
    const decoded = ProtobufTraceSerializer.deserializeResponse(encoded.body as Uint8Array);
    expect(decoded.partialSuccess).toEqual({ rejectedSpans: 2, errorMessage: "span 1: bad" });
    expect(JSON.parse(encodeOtlpResponse("logs", "json", { rejected: 1, errorMessage: "x" }).body as string)).toEqual({
      partialSuccess: { rejectedLogRecords: "1", errorMessage: "x" },
    });
    expect(ProtobufTraceSerializer.deserializeResponse(encodeOtlpResponse("traces", "protobuf", null).body as Uint8Array)).toEqual({});
  });
});
