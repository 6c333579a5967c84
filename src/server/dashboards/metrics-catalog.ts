/**
 * The metrics explorer's pickers: metric names in a range (with type and unit) and the attribute
 * keys a metric carries, for the filter and group-by controls.
 */
import { z } from "zod";
import type { Db } from "@/server/db/sql";
import type { METRIC_AGGREGATIONS, MetricAggregation } from "@/server/vocabulary";
import { ZTimeZone } from "./input";

const MAX_RANGE_MS = 400 * 86_400_000;

export const ZMetricWindow = z.object({ from: z.coerce.date(), to: z.coerce.date(), timeZone: ZTimeZone }).superRefine((v, ctx) => {
  if (v.from >= v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  if (v.to.getTime() - v.from.getTime() > MAX_RANGE_MS) ctx.addIssue({ code: "custom", path: ["from"], message: "the range may span at most 400 days" });
});

export const ZMetricNameSearch = z.object({ q: z.string().trim().max(256).optional(), limit: z.number().int().min(1).max(200).default(100) });

export { METRIC_AGGREGATIONS as AGGREGATIONS } from "@/server/vocabulary";
export type MetricKind = keyof typeof METRIC_AGGREGATIONS;
export type Aggregation = MetricAggregation;

type MetricName = { name: string; kind: MetricKind; metricType: string; unit: string | null; points: number; lastTime: Date };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Metric names seen in the range whose name contains `q`, with kind, OTLP type and unit. */
export async function listMetricNames(db: Db, input: { projectId: string; from: Date; to: Date; q?: string; limit: number }): Promise<MetricName[]> {
  const { rows } = await db.query<MetricName>(
    `SELECT name, kind, (array_agg(metric_type ORDER BY time DESC))[1] AS "metricType", unit, count(*)::int AS points, max(time) AS "lastTime"
       FROM metric_points
      WHERE project_id = $1::uuid AND time >= $2 AND time < $3 AND ($4::text IS NULL OR name ILIKE '%' || $4 || '%')
      GROUP BY name, kind, unit ORDER BY name, kind, unit LIMIT $5`,
    [input.projectId, input.from, input.to, input.q ? escapeLike(input.q) : null, input.limit],
  );
  return rows;
}

/** Attribute keys of a metric's points in the range (from up to 2 000 recent points), most common first. */
export async function listMetricAttributeKeys(db: Db, input: { projectId: string; name: string; from: Date; to: Date }) {
  const { rows } = await db.query<{ key: string; points: number }>(
    `SELECT k AS key, count(*)::int AS points
       FROM (SELECT attributes FROM metric_points WHERE project_id = $1::uuid AND name = $2 AND time >= $3 AND time < $4
              ORDER BY time DESC LIMIT 2000) p, jsonb_object_keys(p.attributes) k
      GROUP BY k ORDER BY count(*) DESC, k LIMIT 100`,
    [input.projectId, input.name, input.from, input.to],
  );
  return rows;
}
