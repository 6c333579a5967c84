/**
 * The wire format of `POST /api/v1/ingest`: one zod schema per event type, discriminated on
 * `type`. Field names are camelCase as in the issue. Unknown fields are dropped. Every limit is
 * a named constant so the README and the error messages can quote it.
 */
import { z } from "zod";
import {
  AUDIT_OUTCOMES,
  ERROR_LEVELS,
  LLM_STATUSES,
  LOG_LEVELS,
  METRIC_KINDS,
  METRIC_TYPES,
  SPAN_KINDS,
  SPAN_STATUSES,
  TEMPORALITIES,
} from "@/server/vocabulary";

const MAX_ID_LENGTH = 128;
const MAX_NAME_LENGTH = 256;
const MAX_SHORT_LENGTH = 64;
const MAX_PATH_LENGTH = 2048;
export const MAX_MESSAGE_LENGTH = 32_768;
export const MAX_LLM_TEXT_LENGTH = 262_144;
export const MAX_ATTRIBUTE_DEPTH = 8;
const MAX_ATTRIBUTE_KEYS = 256;
const MAX_ATTRIBUTES_BYTES = 65_536;
const MAX_EXCEPTIONS = 16;
export const MAX_FRAMES = 256;
const MAX_FINGERPRINT_PARTS = 16;
const MAX_METRIC_SAMPLES = 10_000;
const MAX_EXPONENTIAL_BUCKETS = 320;

const str = (max: number) => z.string().max(max, `at most ${max} characters`);
const shortStr = str(MAX_SHORT_LENGTH);
const nameStr = str(MAX_NAME_LENGTH);
const nonNegInt = z.number().int("must be an integer").nonnegative("must be ≥ 0");
const nonNeg = z.number().nonnegative("must be ≥ 0").finite();

/** ISO 8601 with offset, or Unix epoch milliseconds. */
const ZTimestamp = z.union([z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }), z.number().finite()], {
  error: "must be an ISO 8601 date-time string or epoch milliseconds",
});

/**
 * Walks a JSON value without recursion and reports the first limit it breaks, so a
 * 100 000-level deep object is refused in constant stack.
 */
export function attributeProblem(value: unknown): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let keys = 0;
  let bytes = 0;
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== "object") {
      bytes += typeof v === "string" ? v.length + 2 : 8;
      if (bytes > MAX_ATTRIBUTES_BYTES) return `larger than ${MAX_ATTRIBUTES_BYTES} bytes`;
      continue;
    }
    if (depth >= MAX_ATTRIBUTE_DEPTH) return `nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`;
    const entries = Array.isArray(v) ? v.map((x) => ["", x] as const) : Object.entries(v);
    keys += entries.length;
    if (keys > MAX_ATTRIBUTE_KEYS) return `more than ${MAX_ATTRIBUTE_KEYS} keys in total`;
    for (const [k, x] of entries) {
      bytes += k.length + 4;
      stack.push({ v: x, depth: depth + 1 });
    }
  }
  return bytes > MAX_ATTRIBUTES_BYTES ? `larger than ${MAX_ATTRIBUTES_BYTES} bytes` : null;
}

/** Free-form key/value map (attributes, tags, properties, headers) with bounded depth and size. */
const ZAttributes = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = attributeProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const ZHeaders = z.record(z.string(), z.union([str(8192), z.array(str(8192)).max(32)]));

const ZTraceIds = {
  traceId: str(MAX_SHORT_LENGTH).optional(),
  spanId: str(MAX_SHORT_LENGTH).optional(),
};

const ZCommon = {
  id: str(MAX_ID_LENGTH).min(1).optional(),
  timestamp: ZTimestamp.optional(),
  service: nameStr.optional(),
  environment: shortStr.optional(),
  release: nameStr.optional(),
};

const ZLogEvent = z.object({
  type: z.literal("log"),
  ...ZCommon,
  ...ZTraceIds,
  level: z.enum(LOG_LEVELS).default("info"),
  message: str(MAX_MESSAGE_LENGTH),
  logger: nameStr.optional(),
  attributes: ZAttributes.optional(),
  userId: nameStr.optional(),
  requestId: str(MAX_ID_LENGTH).optional(),
});

const ZRequestEvent = z
  .object({
    type: z.literal("request"),
    ...ZCommon,
    ...ZTraceIds,
    method: str(16).transform((m) => m.toUpperCase()),
    route: str(MAX_PATH_LENGTH).optional(),
    path: str(MAX_PATH_LENGTH),
    status: z.number().int().min(100, "must be an HTTP status 100–599").max(599, "must be an HTTP status 100–599"),
    durationMs: nonNeg,
    requestSize: nonNegInt.optional(),
    responseSize: nonNegInt.optional(),
    userAgent: str(1024).optional(),
    clientIp: shortStr.optional(),
    userId: nameStr.optional(),
    requestId: str(MAX_ID_LENGTH).optional(),
    requestHeaders: ZHeaders.optional(),
    responseHeaders: ZHeaders.optional(),
    /**
     * Also record the request as its trace's server span (start `timestamp`, `durationMs` long,
     * the span id `spanId`), so an SDK sends one event per request instead of a request and a span.
     */
    span: z
      .object({
        parentSpanId: str(MAX_SHORT_LENGTH).optional(),
        statusMessage: str(4096).optional(),
        /** OpenTelemetry's `error.type`: the exception's class when the handler threw. */
        errorType: nameStr.optional(),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (!e.span) return;
    for (const key of ["traceId", "spanId"] as const) {
      if (!e[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when `span` is set" });
    }
  });

const ZStackFrame = z.object({
  filename: str(MAX_PATH_LENGTH).optional(),
  function: str(1024).optional(),
  module: str(1024).optional(),
  lineno: nonNegInt.optional(),
  colno: nonNegInt.optional(),
  abs_path: str(MAX_PATH_LENGTH).optional(),
  in_app: z.boolean().optional(),
  context_line: str(4096).optional(),
});

const ZException = z.object({
  type: nameStr.optional(),
  value: str(MAX_MESSAGE_LENGTH).optional(),
  module: nameStr.optional(),
  mechanism: z.object({ type: shortStr.optional(), handled: z.boolean().optional() }).optional(),
  stacktrace: z.object({ frames: z.array(ZStackFrame).max(MAX_FRAMES) }).optional(),
});

const ZErrorEvent = z
  .object({
    type: z.literal("error"),
    ...ZCommon,
    ...ZTraceIds,
    level: z.enum(ERROR_LEVELS).default("error"),
    message: str(MAX_MESSAGE_LENGTH).optional(),
    logger: nameStr.optional(),
    exception: z.object({ values: z.array(ZException).min(1).max(MAX_EXCEPTIONS) }).optional(),
    tags: z.record(z.string().max(MAX_NAME_LENGTH), str(1024)).optional(),
    user: z.object({ id: nameStr.optional(), email: nameStr.optional(), username: nameStr.optional(), ip_address: shortStr.optional() }).optional(),
    fingerprint: z.array(nameStr).min(1).max(MAX_FINGERPRINT_PARTS).optional(),
    extra: ZAttributes.optional(),
  })
  .refine((e) => e.exception || e.message, { message: "an error needs `exception.values` or `message`", path: ["exception"] });

const ZLlmEvent = z
  .object({
    type: z.literal("llm"),
    ...ZCommon,
    ...ZTraceIds,
    provider: nameStr.optional(),
    model: nameStr.min(1, "model is required"),
    operation: shortStr.default("chat"),
    inputTokens: nonNegInt.default(0),
    cachedInputTokens: nonNegInt.default(0),
    cacheWriteTokens: nonNegInt.default(0),
    outputTokens: nonNegInt.default(0),
    reasoningTokens: nonNegInt.default(0),
    latencyMs: nonNeg.optional(),
    timeToFirstTokenMs: nonNeg.optional(),
    status: z.enum(LLM_STATUSES).default("ok"),
    errorType: nameStr.optional(),
    costUsd: nonNeg.optional(),
    userId: nameStr.optional(),
    feature: nameStr.optional(),
    prompt: str(MAX_LLM_TEXT_LENGTH).optional(),
    completion: str(MAX_LLM_TEXT_LENGTH).optional(),
    attributes: ZAttributes.optional(),
  })
  .refine((e) => e.cachedInputTokens + e.cacheWriteTokens <= e.inputTokens, {
    message: "cachedInputTokens + cacheWriteTokens are part of inputTokens and cannot exceed it",
    path: ["cachedInputTokens"],
  })
  .refine((e) => e.reasoningTokens <= e.outputTokens, {
    message: "reasoningTokens are part of outputTokens and cannot exceed it",
    path: ["reasoningTokens"],
  });

const ZSpanEvent = z.object({
  type: z.literal("span"),
  ...ZCommon,
  traceId: str(MAX_SHORT_LENGTH).min(1, "traceId is required"),
  spanId: str(MAX_SHORT_LENGTH).min(1, "spanId is required"),
  parentSpanId: str(MAX_SHORT_LENGTH).optional(),
  name: str(1024),
  kind: z.enum(SPAN_KINDS).default("internal"),
  startTime: ZTimestamp,
  endTime: ZTimestamp,
  status: z.enum(SPAN_STATUSES).default("unset"),
  statusMessage: str(4096).optional(),
  attributes: ZAttributes.optional(),
  events: z
    .array(z.object({ name: nameStr, timestamp: ZTimestamp.optional(), attributes: ZAttributes.optional() }))
    .max(128)
    .optional(),
});

const ZBucketSide = z.object({ offset: z.number().int(), counts: z.array(nonNegInt).max(MAX_EXPONENTIAL_BUCKETS) });
/** An OTLP exponential histogram's buckets: bucket i of a side covers (base^(offset+i), base^(offset+i+1)], base = 2^(2^-scale). */
const ZExponentialBuckets = z.object({
  scale: z.number().int().min(-10).max(20),
  zeroCount: nonNegInt,
  positive: ZBucketSide,
  negative: ZBucketSide,
});
export type ExponentialBuckets = z.infer<typeof ZExponentialBuckets>;

const ZMetricEvent = z
  .object({
    type: z.literal("metric"),
    ...ZCommon,
    name: nameStr.min(1),
    kind: z.enum(METRIC_KINDS),
    unit: shortStr.optional(),
    value: z.number().finite().optional(),
    values: z.array(z.number().finite()).min(1).max(MAX_METRIC_SAMPLES).optional(),
    count: nonNegInt.optional(),
    sum: z.number().finite().optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    explicitBounds: z.array(z.number().finite()).max(256).optional(),
    bucketCounts: z.array(nonNegInt).max(257).optional(),
    attributes: ZAttributes.optional(),
    /** Counters and histograms are deltas unless said otherwise (OTLP sends cumulative ones). */
    temporality: z.enum(TEMPORALITIES).optional(),
    /** When a cumulative series started counting; a new start time is a reset. */
    startTimestamp: ZTimestamp.optional(),
    /** Set by the OTLP mapping: the OTLP data type, monotonicity, resource identity and bucket shapes. */
    metricType: z.enum(METRIC_TYPES).optional(),
    monotonic: z.boolean().optional(),
    resourceKey: shortStr.optional(),
    exponential: ZExponentialBuckets.optional(),
    quantiles: z
      .array(z.object({ quantile: z.number().min(0).max(1), value: z.number().finite() }))
      .max(64)
      .optional(),
  })
  .superRefine((m, ctx) => {
    if (m.kind !== "histogram" && m.value === undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `a ${m.kind} needs a numeric \`value\`` });
    }
    if (m.kind === "histogram" && m.values === undefined && (m.count === undefined || m.sum === undefined)) {
      ctx.addIssue({ code: "custom", path: ["values"], message: "a histogram needs `values` or `count` and `sum`" });
    }
    if (m.bucketCounts && m.bucketCounts.length !== (m.explicitBounds?.length ?? 0) + 1) {
      ctx.addIssue({ code: "custom", path: ["bucketCounts"], message: "needs exactly explicitBounds.length + 1 entries" });
    }
  });

const ZProductEvent = z.object({
  type: z.literal("event"),
  ...ZCommon,
  ...ZTraceIds,
  name: nameStr.min(1),
  userId: nameStr.optional(),
  sessionId: str(MAX_ID_LENGTH).optional(),
  properties: ZAttributes.optional(),
});

/** A security-relevant action in the app (sign-in, permission change, export), kept in the project's verifiable audit trail. */
const ZAuditEvent = z.object({
  type: z.literal("audit"),
  ...ZCommon,
  actor: z.union([
    nameStr.min(1, "actor is required"),
    z
      .object({ id: nameStr.optional(), email: str(254).optional(), type: shortStr.optional(), name: nameStr.optional() })
      .refine((a) => a.id || a.email, { message: "an actor needs an id or an email" }),
  ]),
  action: str(64).min(1, "action is required"),
  target: z.union([str(128).min(1), z.object({ type: str(32).optional(), id: str(128).optional(), name: nameStr.optional() })]).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).default("success"),
  ip: str(64).optional(),
  userAgent: str(512).optional(),
  metadata: ZAttributes.optional(),
});

export const ZIngestEvent = z.discriminatedUnion("type", [
  ZLogEvent,
  ZRequestEvent,
  ZErrorEvent,
  ZLlmEvent,
  ZSpanEvent,
  ZMetricEvent,
  ZProductEvent,
  ZAuditEvent,
]);

export type LogEvent = z.infer<typeof ZLogEvent>;
export type RequestEvent = z.infer<typeof ZRequestEvent>;
export type ErrorEvent = z.infer<typeof ZErrorEvent>;
export type StackFrame = z.infer<typeof ZStackFrame>;
export type ExceptionValue = z.infer<typeof ZException>;
export type LlmEvent = z.infer<typeof ZLlmEvent>;
export type SpanEvent = z.infer<typeof ZSpanEvent>;
export type MetricEvent = z.infer<typeof ZMetricEvent>;
export type ProductEvent = z.infer<typeof ZProductEvent>;
export type IngestEvent = z.infer<typeof ZIngestEvent>;
/** What an SDK or the OTLP mapper may send: defaults not yet applied. */
export type IngestEventInput = z.input<typeof ZIngestEvent>;
