/**
 * Ingest volume: events stored per type over a range, per series step. Requests, errors, LLM calls
 * and product events come from the dashboards' rolled-up series (the same numbers the project pages
 * show); logs, spans and metric points have no rollup and are counted from their raw rows with the
 * same step buckets, through their (project_id, time) indexes.
 */
import { calendar, num, readScope, series, seriesBucket, type ReadScope } from "../dashboards/read";
import { SqlParams, type Db } from "@/server/db/sql";
import { ERRORS, LLM, PRODUCT_EVENTS, requestsFor } from "../rollup/specs";

export const EVENT_TYPES = ["requests", "errors", "llmCalls", "productEvents", "logs", "spans", "metrics"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
type VolumePoint = { t: Date } & Record<EventType, number>;

const ROLLED = [
  { type: "requests", spec: requestsFor({}), measure: "count" },
  { type: "errors", spec: ERRORS, measure: "count" },
  { type: "llmCalls", spec: LLM, measure: "calls" },
  { type: "productEvents", spec: PRODUCT_EVENTS, measure: "count" },
] as const;

const RAW = [
  { type: "logs", table: "logs", time: "time" },
  { type: "spans", table: "spans", time: "start_time" },
  { type: "metrics", table: "metric_points", time: "time" },
] as const;

async function rawSeries(s: ReadScope, table: string, time: string): Promise<Array<{ t: Date; n: number }>> {
  const p = new SqlParams();
  const { bucket, frame } = seriesBucket(p, s);
  const { rows } = await s.db.query<{ t: Date; n: string }>(
    `WITH c AS (SELECT ${bucket(time)} AS t, count(*) AS n FROM ${table}
                 WHERE project_id = ${p.add(s.projectId)}::uuid AND ${time} >= ${p.add(s.from)} AND ${time} < ${p.add(s.to)} GROUP BY 1),
          g AS (${frame()})
     SELECT g.t, coalesce(c.n, 0) AS n FROM g LEFT JOIN c ON c.t = g.t ORDER BY g.t`,
    p.values,
  );
  return rows.map((r) => ({ t: r.t, n: num(r.n) }));
}

/** One point per step of the scope with the events of each type stored in it. */
export async function volumeSeries(s: ReadScope): Promise<VolumePoint[]> {
  const parts = await Promise.all([
    ...ROLLED.map(async (r) => ({
      type: r.type as EventType,
      rows: (await series<{ n: string }>(s, r.spec, `coalesce(sum(${r.measure}), 0) AS n`)).map((x) => ({ t: x.t, n: num(x.n) })),
    })),
    ...RAW.map(async (r) => ({ type: r.type as EventType, rows: await rawSeries(s, r.table, r.time) })),
  ]);
  const points = new Map<number, VolumePoint>();
  for (const { type, rows } of parts)
    for (const { t, n } of rows) {
      const point = points.get(t.getTime()) ?? ({ t, ...Object.fromEntries(EVENT_TYPES.map((k) => [k, 0])) } as VolumePoint);
      point[type] += n;
      points.set(t.getTime(), point);
    }
  return [...points.values()].sort((a, b) => a.t.getTime() - b.t.getTime());
}

export const totalOf = (p: Omit<VolumePoint, "t">) => EVENT_TYPES.reduce((a, k) => a + p[k], 0);

/** Sums points per type. */
export function sumVolume(points: VolumePoint[]): Record<EventType, number> {
  const out = Object.fromEntries(EVENT_TYPES.map((k) => [k, 0])) as Record<EventType, number>;
  for (const p of points) for (const k of EVENT_TYPES) out[k] += p[k];
  return out;
}

const DAY = { ms: 86_400_000, interval: "1 day" };

/** Events per local day (viewer's zone) over the last `days` days, today included, summed over `projectIds`. */
export async function eventsPerDay(db: Db, options: { projectIds: string[]; timeZone: string; days: number; now?: Date }) {
  const now = options.now ?? new Date();
  const from = (await calendar(db, new Date(now.getTime() - (options.days - 1) * DAY.ms), options.timeZone)).day;
  const perProject = await Promise.all(
    options.projectIds.map(async (projectId) => {
      const s = await readScope(db, { projectId, from, to: now, timeZone: options.timeZone, filters: {} });
      return volumeSeries({ ...s, from, step: DAY });
    }),
  );
  const days = new Map<number, VolumePoint>();
  for (const points of perProject)
    for (const p of points) {
      const day = days.get(p.t.getTime());
      if (!day) days.set(p.t.getTime(), { ...p });
      else for (const k of EVENT_TYPES) day[k] += p[k];
    }
  return { from, to: now, timeZone: options.timeZone, days: [...days.values()].sort((a, b) => a.t.getTime() - b.t.getTime()) };
}
