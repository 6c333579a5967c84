/**
 * What each metric point adds: cumulative points become increases over the previous point of their
 * series (computed here, at ingest, against the latest stored point and the batch's own earlier
 * points), delta points add themselves. Resets follow Prometheus's increase(): a new start time, a
 * monotonic value that drops, or histogram buckets that go down mean the series restarted, and the
 * point counts in full from its start time. A point no later than the series' latest point (an
 * identical re-export, a retry, a late arrival) adds nothing, so totals never double-count.
 * A first point without a start time adds nothing either: its baseline is unknown.
 */
import { createHash } from "node:crypto";
import type { Db } from "@/server/db/sql";
import { isExplicit, isStoredExponential, subtractBuckets, type StoredBuckets } from "@/server/histograms/buckets";
import type { MetricType } from "@/server/vocabulary";
import type { MetricEvent } from "./schemas";

export type MetricShape = { metricType: MetricType; temporality: "delta" | "cumulative" | null; monotonic: boolean | null };

/** The batch API's kinds: counters and histograms are deltas unless `temporality` says cumulative. */
function metricShape(e: MetricEvent): MetricShape {
  const metricType = e.metricType ?? (e.kind === "counter" ? "sum" : e.kind);
  const temporality = metricType === "gauge" ? null : (e.temporality ?? "delta");
  const monotonic = metricType === "sum" ? (e.monotonic ?? e.kind === "counter") : null;
  return { metricType, temporality, monotonic };
}

/** A series: name, type, unit, the resource (OTLP: all its attributes) and the point attributes. */
function seriesIdOf(e: MetricEvent, shape: MetricShape): string {
  const attrs = e.attributes ?? {};
  const sorted = Object.keys(attrs)
    .sort()
    .map((k) => [k, attrs[k]]);
  const resource = e.resourceKey ?? [e.service ?? null, e.environment ?? null, e.release ?? null];
  return createHash("sha256")
    .update(JSON.stringify([e.name, shape.metricType, e.unit ?? null, resource, sorted]))
    .digest("hex")
    .slice(0, 32);
}

/** The bucket layout stored in `buckets`: explicit, exponential, or a summary's quantiles. */
function bucketsOf(e: MetricEvent): unknown {
  if (e.exponential) return e.exponential;
  if (e.bucketCounts) return { bounds: e.explicitBounds ?? [], counts: e.bucketCounts };
  if (e.quantiles) return { quantiles: e.quantiles };
  return null;
}

export type PointDelta = { delta: number | null; deltaCount: number | null; deltaSum: number | null; deltaBuckets: unknown };

export type DeltaInput = {
  seriesId: string;
  shape: MetricShape;
  time: Date;
  startTime: Date | null;
  value: number | null;
  count: number | null;
  sum: number | null;
  buckets: unknown;
};
type LastPoint = Pick<DeltaInput, "time" | "startTime" | "value" | "count" | "sum" | "buckets">;

const asBuckets = (b: unknown): StoredBuckets | null => (isExplicit(b) || isStoredExponential(b) ? b : null);
const zero = (p: DeltaInput): PointDelta =>
  p.shape.metricType === "sum"
    ? { delta: 0, deltaCount: null, deltaSum: null, deltaBuckets: null }
    : { delta: null, deltaCount: 0, deltaSum: 0, deltaBuckets: null };

function asIs(p: DeltaInput): PointDelta {
  const isSum = p.shape.metricType === "sum";
  return { delta: isSum ? p.value : null, deltaCount: isSum ? null : p.count, deltaSum: isSum ? null : p.sum, deltaBuckets: isSum ? null : p.buckets };
}

function increase(p: DeltaInput, prev: LastPoint | undefined): PointDelta {
  if (!prev) return p.startTime ? asIs(p) : zero(p);
  if (p.time.getTime() <= prev.time.getTime()) return zero(p);
  const restarted = p.startTime !== null && prev.startTime !== null && p.startTime.getTime() !== prev.startTime.getTime();
  if (p.shape.metricType === "sum") {
    const dropped = p.shape.monotonic === true && (p.value ?? 0) < (prev.value ?? 0);
    return restarted || dropped ? asIs(p) : { ...zero(p), delta: (p.value ?? 0) - (prev.value ?? 0) };
  }
  const cur = asBuckets(p.buckets);
  const before = asBuckets(prev.buckets);
  const buckets = cur && before ? subtractBuckets(cur, before) : null;
  const dropped = (p.count ?? 0) < (prev.count ?? 0) || (cur !== null && before !== null && buckets === null);
  if (restarted || dropped) return asIs(p);
  return { delta: null, deltaCount: (p.count ?? 0) - (prev.count ?? 0), deltaSum: (p.sum ?? 0) - (prev.sum ?? 0), deltaBuckets: buckets };
}

/**
 * Deltas for a batch's points, in input order. `last` holds each cumulative series' latest stored
 * point; points of one series inside the batch are taken in time order.
 */
export function computeDeltas(points: DeltaInput[], last: Map<string, LastPoint>): PointDelta[] {
  const out = new Array<PointDelta>(points.length);
  const order = points.map((p, i) => i).sort((a, b) => points[a]!.time.getTime() - points[b]!.time.getTime());
  const latest = new Map(last);
  for (const i of order) {
    const p = points[i]!;
    if (p.shape.metricType === "gauge") out[i] = { delta: null, deltaCount: null, deltaSum: null, deltaBuckets: null };
    else if (p.shape.temporality !== "cumulative") out[i] = asIs(p);
    else {
      const prev = latest.get(p.seriesId);
      out[i] = increase(p, prev);
      if (!prev || p.time.getTime() > prev.time.getTime()) latest.set(p.seriesId, p);
    }
  }
  return out;
}

/** The latest stored point of each cumulative series in the batch: one index probe per series. */
async function latestPoints(db: Db, projectId: string, seriesIds: string[]): Promise<Map<string, LastPoint>> {
  if (seriesIds.length === 0) return new Map();
  const { rows } = await db.query<LastPoint & { seriesId: string }>(
    `SELECT s.id AS "seriesId", p.time, p.start_time AS "startTime", p.value, p.count::float8 AS count, p.sum, p.buckets
       FROM unnest($2::text[]) AS s(id)
       CROSS JOIN LATERAL (SELECT time, start_time, value, count, sum, buckets FROM metric_points
                            WHERE project_id = $1::uuid AND series_id = s.id ORDER BY time DESC LIMIT 1) p`,
    [projectId, seriesIds],
  );
  return new Map(rows.map((r) => [r.seriesId, r]));
}

export type MetricRowExtras = MetricShape & PointDelta & { seriesId: string; startTime: Date | null; buckets: unknown };

/** Shape, series, buckets and delta of every metric row of a batch (one lookup for its cumulative series). */
export async function metricRowExtras(
  db: Db,
  projectId: string,
  rows: { e: MetricEvent; time: Date; value: number | null; count: number | null; sum: number | null }[],
): Promise<MetricRowExtras[]> {
  const inputs: DeltaInput[] = rows.map((r) => {
    const shape = metricShape(r.e);
    const startTime = r.e.startTimestamp === undefined ? null : new Date(r.e.startTimestamp);
    return { seriesId: seriesIdOf(r.e, shape), shape, time: r.time, startTime, value: r.value, count: r.count, sum: r.sum, buckets: bucketsOf(r.e) };
  });
  const cumulative = [...new Set(inputs.filter((p) => p.shape.temporality === "cumulative").map((p) => p.seriesId))];
  const deltas = computeDeltas(inputs, await latestPoints(db, projectId, cumulative));
  return inputs.map((p, i) => ({ ...p.shape, ...deltas[i]!, seriesId: p.seriesId, startTime: p.startTime, buckets: p.buckets }));
}
