/**
 * The metrics explorer's chart and series table: one metric over time, aggregated the way its kind
 * allows (counters: increase or rate per second from the stored increases; gauges: last, avg, min,
 * max; histograms: count, avg and percentiles from merged buckets), filtered by attribute values,
 * grouped by up to two attributes with the top N groups kept and the rest folded into "(other)".
 * Buckets are aligned to midnight in the viewer's zone.
 */
import { z } from "zod";
import { SqlParams, type Db } from "@/server/db/sql";
import { HistogramMerge } from "@/server/histograms/buckets";
import { grainsForStep, pickStep, type Grain, type Watermarks } from "@/server/rollup/buckets";
import { METRIC_GRAINS } from "@/server/rollup/metrics";
import { metricSource } from "./metrics-source";
import { loadWatermarks } from "./sources";
import { ZTimeZone } from "./input";
import { AGGREGATIONS, type Aggregation, type MetricKind } from "./metrics-catalog";

const ALL_AGGREGATIONS = [...new Set(Object.values(AGGREGATIONS).flat())] as [Aggregation, ...Aggregation[]];
const OTHER = "(other)";
const SEP = "\u001f";

export const ZMetricExplore = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
    timeZone: ZTimeZone,
    name: z.string().trim().min(1).max(256),
    kind: z.enum(["counter", "gauge", "histogram"]),
    aggregation: z.enum(ALL_AGGREGATIONS),
    filters: z
      .array(z.object({ key: z.string().trim().min(1).max(256), value: z.string().max(1024) }))
      .max(5)
      .default([]),
    groupBy: z.array(z.string().trim().min(1).max(256)).max(2, "group by at most 2 attributes").default([]),
    top: z.number().int().min(1).max(20).default(5),
  })
  .superRefine((v, ctx) => {
    if (v.from >= v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    if (v.to.getTime() - v.from.getTime() > 400 * 86_400_000) ctx.addIssue({ code: "custom", path: ["from"], message: "the range may span at most 400 days" });
    if (!(AGGREGATIONS[v.kind] as readonly string[]).includes(v.aggregation))
      ctx.addIssue({ code: "custom", path: ["aggregation"], message: `a ${v.kind} takes ${AGGREGATIONS[v.kind].join(", ")}` });
  });
/** `rollups: false` reads raw points only (benchmarks and the tests that compare both paths). */
export type MetricExploreInput = z.output<typeof ZMetricExplore> & { projectId: string; rollups?: boolean };

const PERCENTILE: Partial<Record<Aggregation, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** The group key and step bucket expressions over the source's columns, shared by the ranking and the series queries. */
function scope(input: MetricExploreInput, p: SqlParams, stepInterval: string) {
  const parts = input.groupBy.map((k) => `coalesce(attributes->>${p.add(k)}::text, '')`);
  const group = parts.length ? `concat_ws(${p.add(SEP)}::text, ${parts.join(", ")})` : `''::text`;
  const bucket = () => `date_bin(${p.add(stepInterval)}::interval, at, date_trunc('day', ${p.add(input.from)}::timestamptz, ${p.add(input.timeZone)}::text))`;
  return { group, bucket };
}

/** SQL for one value per (bucket?, group) for aggregations SQL can finish; null for percentiles. */
function valueSql(kind: MetricKind, aggregation: Aggregation): string | null {
  if (kind === "counter") return "sum(delta)";
  if (kind === "gauge") {
    if (aggregation === "last") return "sum(last)";
    if (aggregation === "avg") return "sum(value_sum) / nullif(sum(value_count), 0)::float8";
    return `${aggregation}(value_${aggregation})`;
  }
  if (aggregation === "count") return "sum(hist_count)::float8";
  if (aggregation === "avg") return "sum(hist_sum) / nullif(sum(hist_count), 0)::float8";
  return null;
}

const RANK_SQL: Record<MetricKind, string> = {
  counter: "sum(delta)",
  gauge: "sum(value_sum) / nullif(sum(value_count), 0)::float8",
  histogram: "sum(hist_count)",
};

type Row = { t: Date | null; g: string; v: number | null };
type Source = { watermarks: Watermarks; chartGrains: Grain[] };

const sourceOf = (p: SqlParams, input: MetricExploreInput, grains: readonly Grain[], src: Source) => metricSource(p, input, grains, src.watermarks);

async function aggregate(db: Db, input: MetricExploreInput, stepInterval: string, top: string[] | null, bucketed: boolean, src: Source): Promise<Row[]> {
  const p = new SqlParams();
  const rows = sourceOf(p, input, bucketed ? src.chartGrains : METRIC_GRAINS, src);
  const s = scope(input, p, stepInterval);
  const label = top ? `CASE WHEN ${s.group} = ANY(${p.add(top)}::text[]) THEN ${s.group} ELSE ${p.add(OTHER)}::text END` : s.group;
  const t = bucketed ? s.bucket() : "NULL::timestamptz";
  const value = valueSql(input.kind, input.aggregation);
  if (value === null) {
    const { rows: found } = await db.query<{ t: Date | null; g: string; buckets: unknown[]; min: number | null; max: number | null }>(
      `SELECT ${t} AS t, ${label} AS g, buckets, hist_min AS min, hist_max AS max FROM (${rows}) x WHERE buckets IS NOT NULL`,
      p.values,
    );
    const merges = new Map<string, { t: Date | null; g: string; m: HistogramMerge }>();
    for (const r of found) {
      const key = `${r.t?.getTime() ?? ""}${SEP}${r.g}`;
      if (!merges.has(key)) merges.set(key, { t: r.t, g: r.g, m: new HistogramMerge() });
      const m = merges.get(key)!.m;
      m.add(null, r.min, r.max);
      for (const part of r.buckets) m.add(part, null, null);
    }
    return [...merges.values()].map((x) => ({ t: x.t, g: x.g, v: x.m.quantile(PERCENTILE[input.aggregation]!) }));
  }
  // `last` of a group: each series' latest value in the bucket, summed over the group's series.
  const inner =
    input.aggregation === "last" && input.kind === "gauge"
      ? `(SELECT ${t} AS t, ${label} AS g, (array_agg(last_value ORDER BY last_time DESC))[1] AS last FROM (${rows}) r GROUP BY 1, 2, series_id) x`
      : `(SELECT ${t} AS t, ${label} AS g, r.* FROM (${rows}) r) x`;
  const { rows: found } = await db.query<Row>(`SELECT x.t, x.g, ${value} AS v FROM ${inner} GROUP BY x.t, x.g ORDER BY x.t, x.g`, p.values);
  return found;
}

/** The chart (one value per bucket and group) and the series table (one value per group over the range). */
export async function exploreMetric(db: Db, input: MetricExploreInput) {
  const step = pickStep(input.from, input.to, 60);
  const stepSeconds = step.ms / 1000;
  const src: Source = {
    watermarks: input.rollups === false ? {} : await loadWatermarks(db, input.projectId),
    chartGrains: grainsForStep(step, input.timeZone),
  };
  const p = new SqlParams();
  const rows = sourceOf(p, input, METRIC_GRAINS, src);
  const s = scope(input, p, step.interval);
  const { rows: ranked } = await db.query<{ g: string; points: number; rank: number | null }>(
    `SELECT ${s.group} AS g, sum(points)::int AS points, ${RANK_SQL[input.kind]} AS rank FROM (${rows}) r
      GROUP BY 1 ORDER BY 3 DESC NULLS LAST, 1 LIMIT ${p.add(input.top + 1)}`,
    p.values,
  );
  const top = ranked.length > input.top ? ranked.slice(0, input.top).map((r) => r.g) : null;
  const [points, totals] = await Promise.all([aggregate(db, input, step.interval, top, true, src), aggregate(db, input, step.interval, top, false, src)]);
  const perSecond = (v: number | null, seconds: number) => (v === null ? null : input.aggregation === "rate" ? Number(v) / seconds : Number(v));
  const rangeSeconds = (input.to.getTime() - input.from.getTime()) / 1000;
  const labelsOf = (g: string) => (g === OTHER ? null : Object.fromEntries(input.groupBy.map((k, i) => [k, g.split(SEP)[i] ?? ""])));
  // Ties ordered by key, so the order never depends on the order rows came back in.
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const rankOf = (g: string) => {
    const i = ranked.findIndex((r) => r.g === g);
    return i < 0 ? Infinity : i;
  };
  const groups = [...new Set(points.map((r) => r.g))].sort((a, b) => rankOf(a) - rankOf(b) || byKey(a, b));
  const byTime = new Map<number, Record<string, number | null>>();
  for (const r of points) {
    const at = r.t!.getTime();
    if (!byTime.has(at)) byTime.set(at, {});
    byTime.get(at)![r.g] = perSecond(r.v, stepSeconds);
  }
  return {
    range: { from: input.from, to: input.to, step: step.interval, stepSeconds, timeZone: input.timeZone },
    groups: groups.map((g) => ({ key: g, labels: labelsOf(g) })),
    points: [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => ({ t: new Date(t), values })),
    series: totals
      .map((r) => ({ key: r.g, labels: labelsOf(r.g), value: perSecond(r.v, rangeSeconds), points: ranked.find((x) => x.g === r.g)?.points ?? null }))
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || byKey(a.key, b.key)),
  };
}
