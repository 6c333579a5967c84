/**
 * Metric rollups: metric points folded per (name, kind, series, bucket) into rollup_metrics for the
 * grains the metrics explorer reads (see dashboards/metrics-explore.ts). Like every other rollup, a
 * bucket is recomputed from raw points and replaced, never incremented. Sums, counts, min, max and
 * the latest gauge value fold in SQL; histogram buckets (explicit and exponential, which merge at
 * the smaller scale) are merged by HistogramMerge, the same code the explorer merges raw points
 * with, so percentiles over rollups equal percentiles over raw points.
 */
import type pg from "pg";
import { SqlParams } from "@/server/db/sql";
import { HistogramMerge } from "@/server/histograms/buckets";
import { bucketOf, GRAIN_MS, type Grain } from "./buckets";

/** Grains folded for metrics: minute buckets for edges near now, hours for days, days for months. */
export const METRIC_GRAINS: readonly Grain[] = ["minute", "hour", "day"];

type Range = { from: number; to: number };
/** Histogram points are merged in Node a week of buckets at a time, so memory stays bounded. */
const CHUNK_MS = 7 * 86_400_000;

export async function pruneMetrics(client: pg.PoolClient, projectId: string, grain: Grain, before: Date) {
  if (!METRIC_GRAINS.includes(grain)) return;
  await client.query(`DELETE FROM rollup_metrics WHERE project_id = $1::uuid AND grain = $2 AND bucket_start < $3`, [projectId, grain, before]);
}

/** Replaces the metric rollup rows of `grain` whose buckets start in `ranges`; returns the rows written. */
export async function foldMetrics(client: pg.PoolClient, projectId: string, grain: Grain, ranges: Range[]): Promise<number> {
  if (!METRIC_GRAINS.includes(grain) || ranges.length === 0) return 0;
  const p = new SqlParams();
  const project = p.add(projectId);
  const bounds = ranges.map((r) => [p.add(new Date(r.from)), p.add(new Date(r.to))] as const);
  const within = (col: string) => bounds.map(([a, b]) => `(${col} >= ${a} AND ${col} < ${b})`).join(" OR ");
  await client.query(`DELETE FROM rollup_metrics WHERE project_id = ${project}::uuid AND grain = '${grain}' AND (${within("bucket_start")})`, p.values);
  const inserted = await client.query(
    `INSERT INTO rollup_metrics (project_id, grain, name, kind, bucket_start, series_id, attributes, points, delta,
       value_sum, value_count, value_min, value_max, last_value, last_time, hist_count, hist_sum, hist_min, hist_max)
     SELECT project_id, '${grain}', name, kind, ${bucketOf(grain)}, series_id, (array_agg(attributes))[1], count(*), sum(delta),
       sum(value), count(value), min(value), max(value), (array_agg(value ORDER BY time DESC))[1], max(time),
       sum(delta_count)::bigint, sum(delta_sum),
       min(min) FILTER (WHERE delta_buckets IS NOT NULL), max(max) FILTER (WHERE delta_buckets IS NOT NULL)
     FROM metric_points WHERE project_id = ${project}::uuid AND (${within("time")})
     GROUP BY project_id, name, kind, 5, series_id`,
    p.values,
  );
  for (const range of ranges) {
    const chunk = Math.max(GRAIN_MS[grain], CHUNK_MS - (CHUNK_MS % GRAIN_MS[grain]));
    for (let from = range.from; from < range.to; from += chunk) await foldHistogramBuckets(client, projectId, grain, from, Math.min(range.to, from + chunk));
  }
  return inserted.rowCount ?? 0;
}

async function foldHistogramBuckets(client: pg.PoolClient, projectId: string, grain: Grain, from: number, to: number) {
  const { rows } = await client.query<{ name: string; kind: string; series_id: string; b: Date; buckets: unknown }>(
    `SELECT name, kind, series_id, ${bucketOf(grain)} AS b, delta_buckets AS buckets FROM metric_points
      WHERE project_id = $1::uuid AND time >= $2 AND time < $3 AND delta_buckets IS NOT NULL`,
    [projectId, new Date(from), new Date(to)],
  );
  if (rows.length === 0) return;
  const merges = new Map<string, { name: string; kind: string; series_id: string; b: Date; m: HistogramMerge }>();
  for (const r of rows) {
    const key = `${r.name}\u001f${r.kind}\u001f${r.series_id}\u001f${r.b.getTime()}`;
    if (!merges.has(key)) merges.set(key, { name: r.name, kind: r.kind, series_id: r.series_id, b: r.b, m: new HistogramMerge() });
    merges.get(key)!.m.add(r.buckets, null, null);
  }
  const updates = [...merges.values()].map(({ m, ...k }) => ({ ...k, buckets: m.parts() }));
  await client.query(
    `UPDATE rollup_metrics r SET buckets = v.buckets
       FROM jsonb_to_recordset($3::jsonb) AS v(name text, kind text, series_id text, b timestamptz, buckets jsonb)
      WHERE r.project_id = $1::uuid AND r.grain = $2 AND r.name = v.name AND r.kind = v.kind AND r.bucket_start = v.b AND r.series_id = v.series_id`,
    [projectId, grain, JSON.stringify(updates)],
  );
}
