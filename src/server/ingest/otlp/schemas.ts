/**
 * zod schemas for OTLP/HTTP export requests. Decoded protobuf and parsed JSON share this shape
 * (lowerCamelCase). The envelope is checked here; each span, log record and data point is checked
 * on its own (`ZOtlpSpan`…) so that one malformed item is rejected without sinking its neighbours.
 * Attribute values stay `unknown` and are converted without recursion limits being zod's problem
 * (see `values.ts`). Unknown fields are ignored, as the OTLP spec requires.
 */
import { z } from "zod";

/** uint64 nanoseconds: a decimal string in OTLP/JSON (numbers are tolerated). */
const ZNanos = z.union([z.string().regex(/^\d+$/, "must be a decimal string of nanoseconds"), z.number().nonnegative()]);
/** Enums are integers in OTLP/JSON; some exporters send the enum's name. */
const ZEnum = z.union([z.number().int(), z.string()]);
const ZKeyValues = z.array(z.unknown());

const ZOtlpResource = z.object({ attributes: ZKeyValues.optional() }).nullish();
const ZOtlpScope = z.object({ name: z.string().nullish(), version: z.string().nullish() }).nullish();

const items = z
  .array(z.unknown())
  .nullish()
  .transform((v) => v ?? []);

export const ZOtlpTracesRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: ZOtlpResource,
        scopeSpans: z
          .array(z.object({ scope: ZOtlpScope, spans: items }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

export const ZOtlpLogsRequest = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: ZOtlpResource,
        scopeLogs: z
          .array(z.object({ scope: ZOtlpScope, logRecords: items }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

export const ZOtlpMetricsRequest = z.object({
  resourceMetrics: z
    .array(
      z.object({
        resource: ZOtlpResource,
        scopeMetrics: z
          .array(z.object({ scope: ZOtlpScope, metrics: items }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

const ZOtlpSpanEvent = z.object({
  timeUnixNano: ZNanos.nullish(),
  name: z.string().nullish(),
  attributes: ZKeyValues.nullish(),
});

export const ZOtlpSpan = z.object({
  traceId: z.string({ error: "traceId is required" }),
  spanId: z.string({ error: "spanId is required" }),
  parentSpanId: z.string().nullish(),
  name: z.string().nullish(),
  kind: ZEnum.nullish(),
  startTimeUnixNano: ZNanos,
  endTimeUnixNano: ZNanos.nullish(),
  attributes: ZKeyValues.nullish(),
  events: z.array(ZOtlpSpanEvent).nullish(),
  status: z.object({ code: ZEnum.nullish(), message: z.string().nullish() }).nullish(),
});

export const ZOtlpLogRecord = z.object({
  timeUnixNano: ZNanos.nullish(),
  observedTimeUnixNano: ZNanos.nullish(),
  severityNumber: ZEnum.nullish(),
  severityText: z.string().nullish(),
  body: z.unknown(),
  attributes: ZKeyValues.nullish(),
  traceId: z.string().nullish(),
  spanId: z.string().nullish(),
  eventName: z.string().nullish(),
});

const ZNumberish = z.union([z.number(), z.string()]);

export const ZOtlpNumberDataPoint = z.object({
  attributes: ZKeyValues.nullish(),
  startTimeUnixNano: ZNanos.nullish(),
  timeUnixNano: ZNanos.nullish(),
  asDouble: ZNumberish.nullish(),
  asInt: ZNumberish.nullish(),
});

export const ZOtlpHistogramDataPoint = z.object({
  attributes: ZKeyValues.nullish(),
  startTimeUnixNano: ZNanos.nullish(),
  timeUnixNano: ZNanos.nullish(),
  count: ZNumberish.nullish(),
  sum: ZNumberish.nullish(),
  min: ZNumberish.nullish(),
  max: ZNumberish.nullish(),
  bucketCounts: z.array(ZNumberish).nullish(),
  explicitBounds: z.array(ZNumberish).nullish(),
});

const ZOtlpBuckets = z.object({ offset: z.number().int().nullish(), bucketCounts: z.array(ZNumberish).nullish() }).nullish();

export const ZOtlpExponentialDataPoint = ZOtlpHistogramDataPoint.omit({ bucketCounts: true, explicitBounds: true }).extend({
  scale: z.number().int().nullish(),
  zeroCount: ZNumberish.nullish(),
  positive: ZOtlpBuckets,
  negative: ZOtlpBuckets,
});

export const ZOtlpSummaryDataPoint = ZOtlpHistogramDataPoint.omit({ bucketCounts: true, explicitBounds: true, min: true, max: true }).extend({
  quantileValues: z.array(z.object({ quantile: ZNumberish.nullish(), value: ZNumberish.nullish() })).nullish(),
});

const points = z.object({ dataPoints: items });

export const ZOtlpMetric = z.object({
  name: z.string({ error: "metric name is required" }).min(1, "metric name is required"),
  unit: z.string().nullish(),
  gauge: points.nullish(),
  sum: points.extend({ aggregationTemporality: ZEnum.nullish(), isMonotonic: z.boolean().nullish() }).nullish(),
  histogram: points.extend({ aggregationTemporality: ZEnum.nullish() }).nullish(),
  exponentialHistogram: points.extend({ aggregationTemporality: ZEnum.nullish() }).nullish(),
  summary: points.nullish(),
});

export type OtlpSignal = "traces" | "logs" | "metrics";
export type OtlpSpan = z.infer<typeof ZOtlpSpan>;
export type OtlpLogRecord = z.infer<typeof ZOtlpLogRecord>;
export type OtlpMetric = z.infer<typeof ZOtlpMetric>;
export type OtlpResource = z.infer<typeof ZOtlpResource>;
