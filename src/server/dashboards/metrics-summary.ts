import { z } from "zod";
import { METRIC_KINDS } from "@/server/vocabulary";
import { page } from "./cursor";
import { ZCursor, ZLimit, ZList, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { SqlParams, type Db } from "@/server/db/sql";
import { HistogramMerge } from "@/server/histograms/buckets";

export const ZMetricsSummaryQuery = z
  .strictObject({
    ...ZTimeRange,
    name: ZText().optional(),
    kind: ZList(METRIC_KINDS),
    service: ZText().optional(),
    environment: ZText(64).optional(),
    limit: ZLimit,
    cursor: ZCursor("text", "text"),
  })
  .superRefine(ZTimeRangeCheck);
type MetricsSummaryQuery = z.output<typeof ZMetricsSummaryQuery>;

type MetricSummaryItem = {
  name: string;
  kind: string;
  unit: string | null;
  points: number;
  firstTime: Date;
  lastTime: Date;
  /** counter: total increase (cumulative points count once, resets handled); histogram: total of observed values; gauge: null. */
  sum: number | null;
  /** histogram: number of observations. */
  count: number | null;
  /** gauge: mean reading; histogram: mean observation (sum / count); counter: mean increase per point. */
  avg: number | null;
  min: number | null;
  max: number | null;
  /** gauge/counter: the latest point's value. */
  last: number | null;
  /** histogram: percentiles from the merged buckets (null without buckets); see HistogramMerge.quantile. */
  p50?: number | null;
  p90?: number | null;
  p95?: number | null;
  p99?: number | null;
};

const PERCENTILES = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["p95", 0.95],
  ["p99", 0.99],
] as const;

/**
 * One row per metric series (name, kind, unit) of a project in the window: points, time span,
 * sum, count, mean, min, max and last value, in one aggregate pass; paged by (name, kind, unit).
 */
export function summariseMetricsSql(options: { projectId: string; query: MetricsSummaryQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`];
  if (query.from) where.push(`time >= ${p.add(query.from)}`);
  if (query.to) where.push(`time < ${p.add(query.to)}`);
  if (query.name) where.push(`name = ${p.add(query.name)}`);
  if (query.kind) where.push(`kind = ANY(${p.add(query.kind)}::text[])`);
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.cursor) {
    const [kind = "", unit = ""] = query.cursor.id.split("\u0000");
    where.push(`(name, kind, coalesce(unit, '')) > (${p.add(query.cursor.at)}, ${p.add(kind)}, ${p.add(unit)})`);
  }
  // Counters add their increases (`delta`: cumulative points already turned into increases at
  // ingest); histograms add their interval counts and sums; gauges and up-down sums are levels.
  const sql = `SELECT name, kind, unit, array_agg(DISTINCT series_id) FILTER (WHERE delta_buckets IS NOT NULL) AS "bucketSeries", count(*)::int AS points, min(time) AS "firstTime", max(time) AS "lastTime",
      CASE WHEN kind = 'histogram' THEN sum(delta_sum) WHEN kind = 'counter' THEN sum(delta) END AS sum,
      CASE WHEN kind = 'histogram' THEN sum(delta_count)::float8 END AS count,
      CASE WHEN kind = 'histogram' THEN sum(delta_sum) / nullif(sum(delta_count), 0)
           WHEN kind = 'counter' THEN avg(delta) ELSE avg(value) END AS avg,
      min(coalesce(min, value)) AS min,
      max(coalesce(max, value)) AS max,
      CASE WHEN kind = 'histogram' THEN NULL ELSE (array_agg(value ORDER BY time DESC, id DESC))[1] END AS last
    FROM metric_points WHERE ${where.join(" AND ")}
    GROUP BY name, kind, unit
    ORDER BY name, kind, coalesce(unit, '') LIMIT ${p.add(query.limit + 1)}`;
  return { text: sql, values: p.values };
}

/** Percentiles of each histogram row: its points' interval buckets in the window, merged. */
async function addPercentiles(db: Db, projectId: string, query: MetricsSummaryQuery, rows: (MetricSummaryItem & { bucketSeries?: string[] | null })[]) {
  const wanted = rows.filter((r) => r.kind === "histogram" && r.bucketSeries?.length);
  const series = wanted.flatMap((r) => r.bucketSeries ?? []);
  const merges = new Map<string, HistogramMerge>();
  if (series.length) {
    const { rows: points } = await db.query<{ seriesId: string; buckets: unknown; min: number | null; max: number | null }>(
      `SELECT series_id AS "seriesId", delta_buckets AS buckets, min, max FROM metric_points
        WHERE project_id = $1::uuid AND series_id = ANY($2::text[]) AND delta_buckets IS NOT NULL
          AND time >= coalesce($3::timestamptz, '-infinity') AND time < coalesce($4::timestamptz, 'infinity')`,
      [projectId, series, query.from ?? null, query.to ?? null],
    );
    const rowOf = new Map(wanted.flatMap((r) => (r.bucketSeries ?? []).map((id) => [id, r] as const)));
    for (const p of points) {
      const row = rowOf.get(p.seriesId)!;
      const key = `${row.name}\u0000${row.unit ?? ""}`;
      if (!merges.has(key)) merges.set(key, new HistogramMerge());
      merges.get(key)!.add(p.buckets, p.min, p.max);
    }
  }
  return rows.map(({ bucketSeries: _s, ...r }) => {
    if (r.kind !== "histogram") return r;
    const merge = merges.get(`${r.name}\u0000${r.unit ?? ""}`);
    return { ...r, ...Object.fromEntries(PERCENTILES.map(([k, q]) => [k, merge?.quantile(q) ?? null])) };
  });
}

export async function summariseMetrics(db: Db, options: { projectId: string; query: MetricsSummaryQuery }) {
  const { rows } = await db.query<MetricSummaryItem & { bucketSeries: string[] | null }>(summariseMetricsSql(options));
  const paged = page(rows, options.query.limit, (r) => ({ at: r.name, id: `${r.kind}\u0000${r.unit ?? ""}` }));
  return { ...paged, items: await addPercentiles(db, options.projectId, options.query, paged.items) };
}
