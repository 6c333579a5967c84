/**
 * The rows the metrics explorer aggregates: rollup rows (one per series and closed bucket) for the
 * segments of the range that closed rollup buckets cover, raw points for the rest (sub-bucket edges
 * and the open tail after each grain's watermark), in one shape, so every aggregate reads the same
 * columns whichever the row came from and answers do not depend on whether the job has run:
 *   at (bucket start or point time), series_id, attributes, points, delta, value_sum, value_count,
 *   value_min, value_max, last_value, last_time, hist_count, hist_sum, hist_min, hist_max,
 *   buckets (a JSON array of bucket sets; null when no point of the row had buckets).
 */
import type { SqlParams } from "@/server/db/sql";
import { coverRange, type Grain, type Watermarks } from "@/server/rollup/buckets";
import { METRIC_GRAINS } from "@/server/rollup/metrics";

export type MetricSourceInput = {
  projectId: string;
  name: string;
  kind: string;
  from: Date;
  to: Date;
  filters: Array<{ key: string; value: string }>;
};

const RAW_COLUMNS = `time AS at, series_id, attributes, 1::bigint AS points, delta, value AS value_sum,
  (value IS NOT NULL)::int::bigint AS value_count, value AS value_min, value AS value_max, value AS last_value, time AS last_time,
  delta_count AS hist_count, delta_sum AS hist_sum,
  CASE WHEN delta_buckets IS NOT NULL THEN min END AS hist_min, CASE WHEN delta_buckets IS NOT NULL THEN max END AS hist_max,
  CASE WHEN delta_buckets IS NOT NULL THEN jsonb_build_array(delta_buckets) END AS buckets`;
const ROLLUP_COLUMNS = `bucket_start AS at, series_id, attributes, points, delta, value_sum, value_count, value_min, value_max,
  last_value, last_time, hist_count, hist_sum, hist_min, hist_max, buckets`;

/**
 * The source as a subquery over [from, to): rollup grains among `grains` (only METRIC_GRAINS are
 * folded) where their watermarks say buckets are closed and folded, raw points elsewhere.
 */
export function metricSource(p: SqlParams, input: MetricSourceInput, grains: readonly Grain[], watermarks: Watermarks): string {
  const common = [`project_id = ${p.add(input.projectId)}::uuid`, `name = ${p.add(input.name)}`, `kind = ${p.add(input.kind)}`];
  for (const f of input.filters) common.push(`attributes->>${p.add(f.key)}::text = ${p.add(f.value)}::text`);
  const where = common.join(" AND ");
  const segments = coverRange(
    input.from,
    input.to,
    grains.filter((g) => METRIC_GRAINS.includes(g)),
    watermarks,
  );
  return segments
    .map((s) => {
      const range = (col: string) => `${col} >= ${p.add(s.from)}::timestamptz AND ${col} < ${p.add(s.to)}::timestamptz`;
      return s.grain === null
        ? `SELECT ${RAW_COLUMNS} FROM metric_points WHERE ${where} AND ${range("time")}`
        : `SELECT ${ROLLUP_COLUMNS} FROM rollup_metrics WHERE ${where} AND grain = '${s.grain}' AND ${range("bucket_start")}`;
    })
    .join("\nUNION ALL\n");
}
