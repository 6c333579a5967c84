/**
 * OTLP metrics → one `metric` event per data point. Gauges → gauge. Sums with DELTA temporality →
 * counter (each point is an increment, so summing them is right). CUMULATIVE or non-monotonic sums
 * → gauge: their value is a running total / current level, which summing would overcount.
 * Histograms → histogram (count, sum, min, max, bounds, bucket counts); exponential histograms and
 * summaries → histogram with count/sum/min/max only.
 */
import type { z } from "zod";
import type { IngestEventInput } from "../schemas";
import { fitAttributes, otlpClientId, resourceContext, type ResourceContext } from "./context";
import { addEvent, describeIssues, emptyMappedBatch, type MappedBatch } from "./mapped";
import { ZOtlpHistogramDataPoint, ZOtlpMetric, ZOtlpNumberDataPoint, type OtlpMetric, type ZOtlpMetricsRequest } from "./schemas";
import { keyValuesToRecord, nanosToEpochMs } from "./values";

type MetricInput = Extract<IngestEventInput, { type: "metric" }>;

const DELTA = new Set<unknown>([1, "AGGREGATION_TEMPORALITY_DELTA"]);

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

type Shared = Pick<MetricInput, "name" | "unit" | "service" | "environment" | "release">;

function numberPoint(raw: unknown, kind: "counter" | "gauge", shared: Shared, now: number): MetricInput | string {
  const parsed = ZOtlpNumberDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const p = parsed.data;
  const value = num(p.asDouble) ?? num(p.asInt);
  if (value === undefined) return "a data point needs a finite asDouble or asInt";
  const attrs = keyValuesToRecord(p.attributes);
  const attributes = fitAttributes(attrs);
  const timestamp = nanosToEpochMs(p.timeUnixNano);
  return {
    type: "metric",
    ...(timestamp ? { id: otlpClientId("metric", shared, kind, p.timeUnixNano, attrs, value) } : {}),
    timestamp: timestamp ?? now,
    ...shared,
    kind,
    value,
    ...(attributes ? { attributes } : {}),
  };
}

function histogramPoint(raw: unknown, shared: Shared, now: number): MetricInput | string {
  const parsed = ZOtlpHistogramDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const p = parsed.data;
  const count = num(p.count);
  const sum = num(p.sum);
  if (count === undefined || sum === undefined) return "a histogram data point needs count and sum";
  const bounds = (p.explicitBounds ?? []).map(num);
  const buckets = (p.bucketCounts ?? []).map(num);
  const withBuckets = buckets.length > 0 && buckets.length === bounds.length + 1 && [...bounds, ...buckets].every((x) => x !== undefined);
  const min = num(p.min);
  const max = num(p.max);
  const attrs = keyValuesToRecord(p.attributes);
  const attributes = fitAttributes(attrs);
  const timestamp = nanosToEpochMs(p.timeUnixNano);
  return {
    type: "metric",
    ...(timestamp ? { id: otlpClientId("metric", shared, "histogram", p.timeUnixNano, attrs, count, sum) } : {}),
    timestamp: timestamp ?? now,
    ...shared,
    kind: "histogram",
    count: Math.round(count),
    sum,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(withBuckets ? { explicitBounds: bounds as number[], bucketCounts: (buckets as number[]).map(Math.round) } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

function metricPoints(metric: OtlpMetric, shared: Shared, now: number): (MetricInput | string)[] {
  if (metric.gauge) return metric.gauge.dataPoints.map((p) => numberPoint(p, "gauge", shared, now));
  if (metric.sum) {
    const kind = DELTA.has(metric.sum.aggregationTemporality) && metric.sum.isMonotonic !== false ? "counter" : "gauge";
    return metric.sum.dataPoints.map((p) => numberPoint(p, kind, shared, now));
  }
  const histogram = metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
  if (histogram) return histogram.dataPoints.map((p) => histogramPoint(p, shared, now));
  return [];
}

/** Maps a parsed `ExportMetricsServiceRequest`; items are data points (what `rejectedDataPoints` counts). */
export function mapOtlpMetrics(request: z.infer<typeof ZOtlpMetricsRequest>, now = Date.now()): MappedBatch {
  const batch = emptyMappedBatch();
  for (const rm of request.resourceMetrics) {
    const ctx: ResourceContext = resourceContext(rm.resource);
    for (const sm of rm.scopeMetrics) {
      for (const raw of sm.metrics) {
        const parsed = ZOtlpMetric.safeParse(raw);
        if (!parsed.success) {
          batch.invalid.push({ item: batch.itemCount++, message: describeIssues(parsed.error.issues) });
          continue;
        }
        const metric = parsed.data;
        const shared: Shared = { name: metric.name.slice(0, 256), ...(metric.unit ? { unit: metric.unit.slice(0, 64) } : {}), ...ctx };
        for (const point of metricPoints(metric, shared, now)) {
          const item = batch.itemCount++;
          if (typeof point === "string") batch.invalid.push({ item, message: point });
          else addEvent(batch, item, point, true);
        }
      }
    }
  }
  return batch;
}
