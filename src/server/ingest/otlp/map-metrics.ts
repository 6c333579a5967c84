/**
 * OTLP metrics → one `metric` event per data point, keeping what OTLP says about it: the data type
 * (`metricType`), temporality, monotonicity, start time and the resource identity, so the pipeline
 * can turn cumulative points into increases (see `metric-deltas.ts`) instead of adding running totals.
 * `kind` is the coarse reading: monotonic sums → counter; gauges and up-down sums → gauge;
 * histograms, exponential histograms and summaries → histogram.
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import type { IngestEventInput } from "../schemas";
import { fitAttributes, otlpClientId, resourceContext, type ResourceContext } from "./context";
import { addEvent, describeIssues, emptyMappedBatch, type MappedBatch } from "./mapped";
import {
  ZOtlpExponentialDataPoint,
  ZOtlpHistogramDataPoint,
  ZOtlpMetric,
  ZOtlpNumberDataPoint,
  ZOtlpSummaryDataPoint,
  type OtlpMetric,
  type ZOtlpMetricsRequest,
} from "./schemas";
import { keyValuesToRecord, nanosToEpochMs } from "./values";

type MetricInput = Extract<IngestEventInput, { type: "metric" }>;

/** AGGREGATION_TEMPORALITY_DELTA; CUMULATIVE (2) and the invalid UNSPECIFIED (0) read as cumulative. */
const DELTA = new Set<unknown>([1, "AGGREGATION_TEMPORALITY_DELTA"]);

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

type Shared = Pick<MetricInput, "name" | "unit" | "service" | "environment" | "release" | "resourceKey">;
type Shape = Pick<MetricInput, "kind" | "metricType" | "temporality" | "monotonic">;
type PointBase = { attributes?: unknown[] | null; startTimeUnixNano?: string | number | null; timeUnixNano?: string | number | null };

/** The fields every point shares: time, start time, attributes and a client id stable across retries. */
function pointHead(p: PointBase, shared: Shared, shape: Shape, now: number, ...identity: unknown[]) {
  const attrs = keyValuesToRecord(p.attributes);
  const attributes = fitAttributes(attrs);
  const timestamp = nanosToEpochMs(p.timeUnixNano);
  const start = nanosToEpochMs(p.startTimeUnixNano);
  return {
    type: "metric" as const,
    ...(timestamp ? { id: otlpClientId("metric", shared, shape, p.startTimeUnixNano, p.timeUnixNano, attrs, ...identity) } : {}),
    timestamp: timestamp ?? now,
    ...(start ? { startTimestamp: start } : {}),
    ...shared,
    ...shape,
    ...(attributes ? { attributes } : {}),
  };
}

function numberPoint(raw: unknown, shared: Shared, shape: Shape, now: number): MetricInput | string {
  const parsed = ZOtlpNumberDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const value = num(parsed.data.asDouble) ?? num(parsed.data.asInt);
  if (value === undefined) return "a data point needs a finite asDouble or asInt";
  return { ...pointHead(parsed.data, shared, shape, now, value), value };
}

function countAndSum(p: { count?: unknown; sum?: unknown; min?: unknown; max?: unknown }) {
  const count = num(p.count);
  const sum = num(p.sum) ?? (count === 0 ? 0 : undefined);
  if (count === undefined || sum === undefined) return "a histogram data point needs count and sum";
  const min = num(p.min);
  const max = num(p.max);
  return { count: Math.round(count), sum, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function histogramPoint(raw: unknown, shared: Shared, shape: Shape, now: number): MetricInput | string {
  const parsed = ZOtlpHistogramDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const p = parsed.data;
  const totals = countAndSum(p);
  if (typeof totals === "string") return totals;
  const bounds = (p.explicitBounds ?? []).map(num);
  const buckets = (p.bucketCounts ?? []).map(num);
  const withBuckets = buckets.length > 0 && buckets.length === bounds.length + 1 && [...bounds, ...buckets].every((x) => x !== undefined);
  return {
    ...pointHead(p, shared, shape, now, totals.count, totals.sum),
    ...totals,
    ...(withBuckets ? { explicitBounds: bounds as number[], bucketCounts: (buckets as number[]).map(Math.round) } : {}),
  };
}

function side(b: { offset?: number | null; bucketCounts?: (string | number)[] | null } | null | undefined) {
  return { offset: b?.offset ?? 0, counts: (b?.bucketCounts ?? []).map((c) => Math.round(num(c) ?? 0)) };
}

function exponentialPoint(raw: unknown, shared: Shared, shape: Shape, now: number): MetricInput | string {
  const parsed = ZOtlpExponentialDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const p = parsed.data;
  const totals = countAndSum(p);
  if (typeof totals === "string") return totals;
  const exponential = { scale: p.scale ?? 0, zeroCount: Math.round(num(p.zeroCount) ?? 0), positive: side(p.positive), negative: side(p.negative) };
  return { ...pointHead(p, shared, shape, now, totals.count, totals.sum), ...totals, exponential };
}

function summaryPoint(raw: unknown, shared: Shared, shape: Shape, now: number): MetricInput | string {
  const parsed = ZOtlpSummaryDataPoint.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const p = parsed.data;
  const totals = countAndSum(p);
  if (typeof totals === "string") return totals;
  const quantiles = (p.quantileValues ?? [])
    .map((q) => ({ quantile: num(q.quantile) ?? 0, value: num(q.value) }))
    .filter((q): q is { quantile: number; value: number } => q.value !== undefined);
  return { ...pointHead(p, shared, shape, now, totals.count, totals.sum), ...totals, ...(quantiles.length ? { quantiles } : {}) };
}

const temporalityOf = (t: unknown) => (DELTA.has(t) ? ("delta" as const) : ("cumulative" as const));

function metricPoints(metric: OtlpMetric, shared: Shared, now: number): (MetricInput | string)[] {
  if (metric.gauge) {
    const shape: Shape = { kind: "gauge", metricType: "gauge" };
    return metric.gauge.dataPoints.map((p) => numberPoint(p, shared, shape, now));
  }
  if (metric.sum) {
    const monotonic = metric.sum.isMonotonic === true;
    const shape: Shape = { kind: monotonic ? "counter" : "gauge", metricType: "sum", temporality: temporalityOf(metric.sum.aggregationTemporality), monotonic };
    return metric.sum.dataPoints.map((p) => numberPoint(p, shared, shape, now));
  }
  if (metric.histogram) {
    const shape: Shape = { kind: "histogram", metricType: "histogram", temporality: temporalityOf(metric.histogram.aggregationTemporality) };
    return metric.histogram.dataPoints.map((p) => histogramPoint(p, shared, shape, now));
  }
  if (metric.exponentialHistogram) {
    const temporality = temporalityOf(metric.exponentialHistogram.aggregationTemporality);
    const shape: Shape = { kind: "histogram", metricType: "exponential_histogram", temporality };
    return metric.exponentialHistogram.dataPoints.map((p) => exponentialPoint(p, shared, shape, now));
  }
  if (metric.summary) {
    // A summary's count and sum are cumulative by definition; its quantiles cannot be merged.
    const shape: Shape = { kind: "histogram", metricType: "summary", temporality: "cumulative" };
    return metric.summary.dataPoints.map((p) => summaryPoint(p, shared, shape, now));
  }
  return [];
}

/** The resource's identity: a hash of all its attributes (service.instance.id included). */
function resourceKeyOf(attributes: unknown[] | null | undefined): string {
  const attrs = keyValuesToRecord(attributes);
  const sorted = Object.keys(attrs)
    .sort()
    .map((k) => [k, attrs[k]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 32);
}

/** Maps a parsed `ExportMetricsServiceRequest`; items are data points (what `rejectedDataPoints` counts). */
export function mapOtlpMetrics(request: z.infer<typeof ZOtlpMetricsRequest>, now = Date.now()): MappedBatch {
  const batch = emptyMappedBatch();
  for (const rm of request.resourceMetrics) {
    const ctx: ResourceContext = resourceContext(rm.resource);
    const resourceKey = resourceKeyOf(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics) {
      for (const raw of sm.metrics) {
        const parsed = ZOtlpMetric.safeParse(raw);
        if (!parsed.success) {
          batch.invalid.push({ item: batch.itemCount++, message: describeIssues(parsed.error.issues) });
          continue;
        }
        const metric = parsed.data;
        const shared: Shared = { name: metric.name.slice(0, 256), ...(metric.unit ? { unit: metric.unit.slice(0, 64) } : {}), ...ctx, resourceKey };
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
