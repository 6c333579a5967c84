/**
 * OTLP spans → ingest events: every span becomes a `span` event; a span with GenAI attributes and
 * a model also becomes an `llm` event; an HTTP SERVER span also becomes a `request` event; every
 * span event named `exception` becomes an `error` event.
 * Pure: no I/O, deterministic ids so an exporter's retry stores nothing twice.
 */
import type { z } from "zod";
import { fitAttributes, otlpClientId, resourceContext, type ResourceContext } from "./context";
import { exceptionErrorEvent } from "./exceptions";
import { genAiLlmEvent } from "./genai";
import { httpServerRequestEvent } from "./http-span";
import { addEvent, describeIssues, emptyMappedBatch, type MappedBatch } from "./mapped";
import { ZOtlpSpan, type OtlpSpan, type ZOtlpTracesRequest } from "./schemas";
import { keyValuesToRecord, nanosToEpochMs, normaliseId } from "./values";

const SPAN_KINDS = ["internal", "internal", "server", "client", "producer", "consumer"] as const;
const SPAN_KIND_NAMES: Record<string, (typeof SPAN_KINDS)[number]> = {
  SPAN_KIND_UNSPECIFIED: "internal",
  SPAN_KIND_INTERNAL: "internal",
  SPAN_KIND_SERVER: "server",
  SPAN_KIND_CLIENT: "client",
  SPAN_KIND_PRODUCER: "producer",
  SPAN_KIND_CONSUMER: "consumer",
};
const STATUS = ["unset", "ok", "error"] as const;
const STATUS_NAMES: Record<string, (typeof STATUS)[number]> = { STATUS_CODE_UNSET: "unset", STATUS_CODE_OK: "ok", STATUS_CODE_ERROR: "error" };
const MAX_SPAN_EVENTS = 128;

function spanKind(kind: OtlpSpan["kind"]) {
  return typeof kind === "number" ? (SPAN_KINDS[kind] ?? "internal") : (SPAN_KIND_NAMES[kind ?? ""] ?? "internal");
}

function spanStatus(code: number | string | null | undefined) {
  return typeof code === "number" ? (STATUS[code] ?? "unset") : (STATUS_NAMES[code ?? ""] ?? "unset");
}

/** Maps one valid span to its events; returns an error message when the span cannot be stored at all. */
function mapSpan(batch: MappedBatch, item: number, span: OtlpSpan, ctx: ResourceContext, scopeName: string | undefined): string | null {
  const traceId = normaliseId(span.traceId, 16);
  const spanId = normaliseId(span.spanId, 8);
  if (!traceId) return "traceId must be 16 bytes (32 hex characters or base64), not all zero";
  if (!spanId) return "spanId must be 8 bytes (16 hex characters or base64), not all zero";
  const startTime = nanosToEpochMs(span.startTimeUnixNano);
  if (startTime === undefined) return "startTimeUnixNano must be a non-zero time";
  const endTime = nanosToEpochMs(span.endTimeUnixNano) ?? startTime;
  const parentSpanId = normaliseId(span.parentSpanId, 8);
  const name = (span.name ?? "").slice(0, 1024);
  const status = spanStatus(span.status?.code);
  const attrs = keyValuesToRecord(span.attributes);
  const ids = { traceId, spanId };
  const common = { ...ctx, ...ids };
  const otlpEvents = span.events ?? [];

  const spanAttrs = fitAttributes(scopeName ? { ...attrs, "otel.scope.name": scopeName } : attrs);
  addEvent(
    batch,
    item,
    {
      type: "span",
      id: otlpClientId("span", traceId, spanId),
      timestamp: startTime,
      ...common,
      ...(parentSpanId ? { parentSpanId } : {}),
      name,
      kind: spanKind(span.kind),
      startTime,
      endTime: Math.max(endTime, startTime),
      status,
      ...(span.status?.message ? { statusMessage: span.status.message.slice(0, 4096) } : {}),
      ...(spanAttrs ? { attributes: spanAttrs } : {}),
      ...(otlpEvents.length
        ? {
            events: otlpEvents.slice(0, MAX_SPAN_EVENTS).map((e) => {
              const eventAttrs = fitAttributes(keyValuesToRecord(e.attributes));
              const at = nanosToEpochMs(e.timeUnixNano);
              return { name: (e.name ?? "").slice(0, 256), ...(at ? { timestamp: at } : {}), ...(eventAttrs ? { attributes: eventAttrs } : {}) };
            }),
          }
        : {}),
    },
    true,
  );

  const request = httpServerRequestEvent({
    attrs,
    kind: spanKind(span.kind),
    durationMs: Math.max(0, endTime - startTime),
    base: { id: otlpClientId("request", traceId, spanId), timestamp: startTime, ...common },
  });
  if (request) addEvent(batch, item, request, false);

  const llm = genAiLlmEvent({
    attrs,
    spanName: name,
    failed: status === "error",
    latencyMs: Math.max(0, endTime - startTime),
    base: { id: otlpClientId("llm", traceId, spanId), timestamp: startTime, ...common },
  });
  if (llm) addEvent(batch, item, llm, false);

  otlpEvents.forEach((e, index) => {
    if (e.name !== "exception") return;
    const error = exceptionErrorEvent({
      attrs: keyValuesToRecord(e.attributes),
      id: otlpClientId("error", traceId, spanId, index),
      timestamp: nanosToEpochMs(e.timeUnixNano) ?? endTime,
      context: common,
      logger: scopeName,
      tags: { "span.name": name.slice(0, 1024) },
      userId: typeof attrs["user.id"] === "string" ? attrs["user.id"] : undefined,
    });
    if (error) addEvent(batch, item, error, false);
  });
  return null;
}

/** Maps a parsed `ExportTraceServiceRequest`; items are spans, numbered in request order. */
export function mapOtlpTraces(request: z.infer<typeof ZOtlpTracesRequest>): MappedBatch {
  const batch = emptyMappedBatch();
  for (const rs of request.resourceSpans) {
    const ctx = resourceContext(rs.resource);
    for (const ss of rs.scopeSpans) {
      const scopeName = ss.scope?.name || undefined;
      for (const raw of ss.spans) {
        const item = batch.itemCount++;
        const parsed = ZOtlpSpan.safeParse(raw);
        const problem = parsed.success ? mapSpan(batch, item, parsed.data, ctx, scopeName) : describeIssues(parsed.error.issues);
        if (problem) batch.invalid.push({ item, message: problem });
      }
    }
  }
  return batch;
}
