import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPLogExporter as OTLPLogExporterHttp } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as OTLPLogExporterProto } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter as OTLPTraceExporterHttp } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPTraceExporterProto } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { getJson, makeProjectWithKeys, startApiServer } from "./fixtures";

// Spans and logs leave the REAL OpenTelemetry exporters (OTLP/HTTP JSON and protobuf, one of them
// gzip-compressed) over loopback to the real route handlers, and come back through the read API.

let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server.close();
});

/** Wraps an exporter so the test can assert that every export succeeded. */
function recording<E extends SpanExporter | LogRecordExporter>(inner: E) {
  const results: ExportResult[] = [];
  const exporter = {
    export: (items: never[], done: (r: ExportResult) => void) =>
      inner.export(items, (r) => {
        results.push(r);
        done(r);
      }),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  } as unknown as E;
  return { exporter, results };
}

const STACK = `TypeError: Cannot read properties of undefined (reading 'total')
    at priceCart (/srv/app/src/cart.ts:88:21)
    at async POST (/srv/app/src/app/api/checkout/route.ts:14:3)`;

const resource = resourceFromAttributes({ "service.name": "shop-api", "deployment.environment": "production", "service.version": "2.0.1" });

async function exportTrace(exporter: SpanExporter) {
  const { exporter: rec, results } = recording(exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(rec)] });
  const tracer = provider.getTracer("shop");
  const start = Date.now() - 5000;
  const root = tracer.startSpan("POST /api/checkout", {
    kind: SpanKind.SERVER,
    startTime: start,
    attributes: {
      "http.request.method": "POST",
      "http.route": "/api/checkout",
      "url.path": "/api/checkout",
      "http.response.status_code": 500,
      "user_agent.original": "shop-web/3.1",
      "client.address": "203.0.113.9",
    },
  });
  const ctx = trace.setSpan(context.active(), root);
  tracer
    .startSpan(
      "chat gpt-4o",
      {
        kind: SpanKind.CLIENT,
        startTime: start + 100,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.cache_read.input_tokens": 200,
          "gen_ai.usage.output_tokens": 300,
          "gen_ai.usage.reasoning.output_tokens": 100,
        },
      },
      ctx,
    )
    .end(start + 1350);
  tracer
    .startSpan(
      "chat gpt-4o-mini",
      {
        kind: SpanKind.CLIENT,
        startTime: start + 1400,
        attributes: {
          "gen_ai.system": "openai",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.usage.prompt_tokens": 1000,
          "gen_ai.usage.completion_tokens": 500,
        },
      },
      ctx,
    )
    .end(start + 1900);
  root.recordException(Object.assign(new TypeError("Cannot read properties of undefined (reading 'total')"), { stack: STACK }), start + 1950);
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end(start + 2000);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId, rootSpanId: root.spanContext().spanId, results };
}

const traceExporters = [
  ["exporter-trace-otlp-http (JSON)", (url: string, key: string) => new OTLPTraceExporterHttp({ url, headers: { Authorization: `Bearer ${key}` } })],
  [
    "exporter-trace-otlp-proto (protobuf, gzip)",
    (url: string, key: string) => new OTLPTraceExporterProto({ url, headers: { Authorization: `Bearer ${key}` }, compression: "gzip" as never }),
  ],
] as const;

describe.each(traceExporters)("spans from %s", (_name, makeExporter) => {
  it("become spans, HTTP requests, priced LLM calls and grouped errors, read back through the read API", async () => {
    const p = await makeProjectWithKeys();
    const { traceId, rootSpanId, results } = await exportTrace(makeExporter(`${server.baseUrl}/api/v1/otlp/v1/traces`, p.ingestKey));
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS]);

    const { status, body } = await getJson(server.baseUrl, p.readKey, `/api/v1/traces/${traceId}`);
    expect(status).toBe(200);
    expect(body.spans.map((s: { name: string }) => s.name)).toEqual(["POST /api/checkout", "chat gpt-4o", "chat gpt-4o-mini"]);
    expect(body.spans[0]).toMatchObject({
      traceId,
      spanId: rootSpanId,
      kind: "server",
      status: "error",
      service: "shop-api",
      environment: "production",
      release: "2.0.1",
      durationMs: 2000,
    });
    expect(body.spans[1].parentSpanId).toBe(rootSpanId);

    expect(body.requests).toHaveLength(1);
    expect(body.requests[0]).toMatchObject({
      method: "POST",
      route: "/api/checkout",
      path: "/api/checkout",
      status: 500,
      durationMs: 2000,
      userAgent: "shop-web/3.1",
      clientIp: "203.0.113.9",
      service: "shop-api",
      spanId: rootSpanId,
    });
    const requests = await getJson(server.baseUrl, p.readKey, "/api/v1/requests?status=5xx&route=%2Fapi%2Fcheckout");
    expect(requests.body.items).toHaveLength(1);

    const calls = body.llmCalls as Record<string, unknown>[];
    expect(calls).toHaveLength(2);
    // gpt-4o: 1000 plain input × $2.50 + 200 cached × $1.25 + 300 output (100 of them reasoning) × $10 per 1M.
    expect(calls[0]).toMatchObject({
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      operation: "chat",
      inputTokens: 1200,
      cachedInputTokens: 200,
      outputTokens: 300,
      reasoningTokens: 100,
      latencyMs: 1250,
      status: "ok",
      costSource: "table",
      service: "shop-api",
      traceId,
    });
    expect(calls[0]!.costUsd).toBeCloseTo(0.00575, 10);
    // gpt-4o-mini from the deprecated attribute names: 1000 × $0.15 + 500 × $0.60 per 1M.
    expect(calls[1]).toMatchObject({ provider: "openai", model: "gpt-4o-mini", inputTokens: 1000, outputTokens: 500, costSource: "table" });
    expect(calls[1]!.costUsd).toBeCloseTo(0.00045, 10);

    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ type: "TypeError", message: "Cannot read properties of undefined (reading 'total')", traceId, spanId: rootSpanId });
    const frames = body.errors[0].exception.values[0].stacktrace.frames;
    expect(frames.map((f: { function: string }) => f.function)).toEqual(["POST", "priceCart"]);

    const llm = await getJson(server.baseUrl, p.readKey, `/api/v1/llm-calls?model=gpt-4o-2024-08-06`);
    expect(llm.body.items).toHaveLength(1);
    expect(llm.body.items[0].costUsd).toBeCloseTo(0.00575, 10);

    const groups = await getJson(server.baseUrl, p.readKey, `/api/v1/errors?environment=production`);
    expect(groups.body.items).toHaveLength(1);
    expect(groups.body.items[0]).toMatchObject({ type: "TypeError", count: 1, status: "unresolved" });
    const events = await getJson(server.baseUrl, p.readKey, `/api/v1/errors/${groups.body.items[0].id}/events`);
    expect(events.body.items.map((e: { traceId: string }) => e.traceId)).toEqual([traceId]);
  });
});

describe("an exporter retry", () => {
  it("stores nothing twice", async () => {
    const p = await makeProjectWithKeys();
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
    provider
      .getTracer("retry")
      .startSpan("chat gpt-4o", { attributes: { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 10 } })
      .end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    const exporter = new OTLPTraceExporterProto({ url: `${server.baseUrl}/api/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${p.ingestKey}` } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
      expect(result.code).toBe(ExportResultCode.SUCCESS);
    }
    const counts = await pool.query<{ spans: number; calls: number }>(
      `SELECT (SELECT count(*)::int FROM spans WHERE project_id = $1) AS spans, (SELECT count(*)::int FROM llm_calls WHERE project_id = $1) AS calls`,
      [p.projectId],
    );
    expect(counts.rows[0]).toEqual({ spans: 1, calls: 1 });
  });
});

const logExporters = [
  [
    "exporter-logs-otlp-http (JSON, gzip)",
    (url: string, key: string) => new OTLPLogExporterHttp({ url, headers: { Authorization: `Bearer ${key}` }, compression: "gzip" as never }),
  ],
  ["exporter-logs-otlp-proto (protobuf)", (url: string, key: string) => new OTLPLogExporterProto({ url, headers: { Authorization: `Bearer ${key}` } })],
] as const;

describe.each(logExporters)("logs from %s", (_name, makeExporter) => {
  it("become logs (and errors) linked to their trace, read back through the read API", async () => {
    const p = await makeProjectWithKeys();
    const { exporter, results } = recording(makeExporter(`${server.baseUrl}/api/v1/otlp/v1/logs`, p.ingestKey));
    const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger("checkout-logger");
    const spanContext = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 };
    const inTrace = trace.setSpanContext(context.active(), spanContext);
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: "WARN",
      body: "inventory low for sku A-17",
      attributes: { sku: "A-17", "user.id": "u-42" },
      context: inTrace,
    });
    logger.emit({ severityText: "DEBUG", body: "cache miss", context: inTrace });
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      body: "payment provider failed",
      attributes: { "exception.type": "PaymentError", "exception.message": "card declined", "exception.stacktrace": STACK },
      context: inTrace,
    });
    await provider.forceFlush();
    await provider.shutdown();
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS]);

    const warn = await getJson(server.baseUrl, p.readKey, `/api/v1/logs?q=INVENTORY%20low&level=warn`);
    expect(warn.status).toBe(200);
    expect(warn.body.items).toHaveLength(1);
    expect(warn.body.items[0]).toMatchObject({
      level: "warn",
      message: "inventory low for sku A-17",
      logger: "checkout-logger",
      service: "shop-api",
      environment: "production",
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      userId: "u-42",
      attributes: { sku: "A-17" },
    });

    const all = await getJson(server.baseUrl, p.readKey, `/api/v1/logs`);
    expect(all.body.items.map((l: { level: string }) => l.level).sort()).toEqual(["debug", "error", "warn"]);

    const linked = await getJson(server.baseUrl, p.readKey, `/api/v1/traces/${spanContext.traceId}`);
    expect(linked.body.logs).toHaveLength(3);
    expect(linked.body.errors).toHaveLength(1);
    expect(linked.body.errors[0]).toMatchObject({ type: "PaymentError", message: "card declined" });
  });
});
