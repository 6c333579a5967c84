import { z } from "zod";
import { METRIC_KINDS } from "@/server/vocabulary";
import { page } from "./cursor";
import { ZCursor, ZLimit, ZList, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { SqlParams, type Db } from "@/server/db/sql";

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
  /** counter: total of increments; histogram: total of observed values. */
  sum: number | null;
  /** histogram: number of observations. */
  count: number | null;
  /** gauge: mean reading; histogram: mean observation (sum / count); counter: mean increment. */
  avg: number | null;
  min: number | null;
  max: number | null;
  /** gauge/counter: the latest point's value. */
  last: number | null;
};

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
  const sql = `SELECT name, kind, unit, count(*)::int AS points, min(time) AS "firstTime", max(time) AS "lastTime",
      CASE WHEN kind = 'histogram' THEN sum(sum) ELSE sum(value) END AS sum,
      CASE WHEN kind = 'histogram' THEN sum(count)::float8 END AS count,
      CASE WHEN kind = 'histogram' THEN sum(sum) / nullif(sum(count), 0) ELSE avg(value) END AS avg,
      min(coalesce(min, value)) AS min,
      max(coalesce(max, value)) AS max,
      CASE WHEN kind = 'histogram' THEN NULL ELSE (array_agg(value ORDER BY time DESC, id DESC))[1] END AS last
    FROM metric_points WHERE ${where.join(" AND ")}
    GROUP BY name, kind, unit
    ORDER BY name, kind, coalesce(unit, '') LIMIT ${p.add(query.limit + 1)}`;
  return { text: sql, values: p.values };
}

export async function summariseMetrics(db: Db, options: { projectId: string; query: MetricsSummaryQuery }) {
  const { rows } = await db.query<MetricSummaryItem>(summariseMetricsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.name, id: `${r.kind}\u0000${r.unit ?? ""}` }));
}
