/**
 * Generic reads over a spec's measure and sketch sources: totals, series (gaps filled, buckets in
 * the viewer's time zone) and merged sketches, optionally grouped by dimensions.
 */
import { grainsForStep, GRAINS, pickStep, type Grain, type Step, type Watermarks } from "../rollup/buckets";
import type { MetricInput } from "./input";
import { loadWatermarks, measureSource, sketchArraySource, type DimFilters } from "./sources";
import { SqlParams, type Db } from "@/server/db/sql";
import { mergeSketches, type Sketch } from "../rollup/sketch";
import type { RollupSpec } from "../rollup/specs";

export type ReadScope = {
  db: Db;
  projectId: string;
  from: Date;
  to: Date;
  timeZone: string;
  filters: DimFilters;
  watermarks: Watermarks;
  step: Step;
};

/**
 * The scope of a dashboard read. Ranges charted in steps of an hour or more start on a step
 * boundary in the viewer's zone (as Grafana and Sentry align them): the first chart point is a
 * whole step, and the range's start edge needs no minute buckets. The scope's `from` is the start
 * actually read, and pages show it.
 */
export async function readScope(db: Db, input: MetricInput): Promise<ReadScope> {
  const step = pickStep(input.from, input.to);
  const [watermarks, from] = await Promise.all([
    input.rollups === false ? {} : loadWatermarks(db, input.projectId),
    step.ms >= HOUR_MS ? alignedStart(db, input.from, step, input.timeZone) : input.from,
  ]);
  return { db, projectId: input.projectId, from, to: input.to, timeZone: input.timeZone, filters: { ...input.filters }, watermarks, step };
}

const HOUR_MS = 3_600_000;

async function alignedStart(db: Db, from: Date, step: Step, timeZone: string): Promise<Date> {
  const { rows } = await db.query<{ start: Date }>(`SELECT date_bin($1::interval, $2::timestamptz, date_trunc('day', $2::timestamptz, $3)) AS start`, [
    step.interval,
    from,
    timeZone,
  ]);
  return rows[0]!.start;
}

/** The same scope over another range (previous period, today, month to date). */
export function shifted(scope: ReadScope, from: Date, to: Date): ReadScope {
  return { ...scope, from, to, step: pickStep(from, to) };
}

export function previousPeriod(scope: ReadScope): ReadScope {
  const span = scope.to.getTime() - scope.from.getTime();
  return shifted(scope, new Date(scope.from.getTime() - span), scope.from);
}

const source = (s: ReadScope, grains: readonly Grain[], extra: DimFilters = {}) => ({
  projectId: s.projectId,
  from: s.from,
  to: s.to,
  filters: { ...s.filters, ...extra },
  grains,
  watermarks: s.watermarks,
});

/** One row of aggregates over the range; `select` uses the source's columns (alias s). */
export async function totals<T extends object>(s: ReadScope, spec: RollupSpec, select: string, extra: DimFilters = {}): Promise<T> {
  const p = new SqlParams();
  const sql = `SELECT ${select} FROM (${measureSource(p, spec, source(s, GRAINS, extra))}) s`;
  const { rows } = await s.db.query(sql, p.values);
  return rows[0] as T;
}

/** Aggregates grouped by `groupBy` columns, ordered and limited. */
export async function grouped<T extends object>(
  s: ReadScope,
  spec: RollupSpec,
  groupBy: string[],
  select: string,
  options: { orderBy: string; limit?: number; having?: string; extra?: DimFilters },
): Promise<T[]> {
  const p = new SqlParams();
  const sql = `SELECT ${groupBy.join(", ")}, ${select} FROM (${measureSource(p, spec, source(s, GRAINS, options.extra))}) s
    GROUP BY ${groupBy.join(", ")} ${options.having ? `HAVING ${options.having}` : ""}
    ORDER BY ${options.orderBy} LIMIT ${options.limit ?? 100}`;
  const { rows } = await s.db.query(sql, p.values);
  return rows as T[];
}

/** The step bucket of a timestamp column, and the frame of every step of the range as rows (t). */
export function seriesBucket(p: SqlParams, s: ReadScope) {
  const step = p.add(s.step.interval);
  const origin = `date_trunc('day', ${p.add(s.from)}::timestamptz, ${p.add(s.timeZone)})`;
  const bucket = (col: string) => `date_bin(${step}::interval, ${col}, ${origin})`;
  const frame = () =>
    `SELECT generate_series(${bucket(p.add(s.from) + "::timestamptz")}, ${p.add(s.to)}::timestamptz - interval '1 millisecond', ${step}::interval) AS t`;
  return { bucket, frame };
}

/** A series over the range: one row per step (gaps filled with the aggregates over no rows). */
export async function series<T extends object>(s: ReadScope, spec: RollupSpec, select: string, extra: DimFilters = {}): Promise<Array<T & { t: Date }>> {
  const p = new SqlParams();
  const src = measureSource(p, spec, source(s, grainsForStep(s.step, s.timeZone), extra));
  const { bucket, frame } = seriesBucket(p, s);
  const sql = `WITH s AS (${src}), g AS (${frame()})
    SELECT g.t, ${select} FROM g LEFT JOIN s ON ${bucket("s.bucket_start")} = g.t GROUP BY g.t ORDER BY g.t`;
  const { rows } = await s.db.query(sql, p.values);
  return rows as Array<T & { t: Date }>;
}

/*
 * Exact distinct counts of a column (users): rows are de-duplicated in a hash first and then counted,
 * which is several times cheaper than count(DISTINCT …), which sorts (bench:queries --explain).
 */

/** Distinct values of `column` over the range, overall (key "") or per value of `groupBy`. */
export async function distinctCount(s: ReadScope, spec: RollupSpec, column: string, extra: DimFilters = {}, groupBy?: string): Promise<Map<string, number>> {
  const p = new SqlParams();
  const src = measureSource(p, spec, source(s, GRAINS, extra));
  const key = groupBy ? `s.${groupBy}::text` : `''`;
  const sql = `SELECT k, count(*) AS n FROM (SELECT DISTINCT ${key} AS k, s.${column} FROM (${src}) s) d GROUP BY k`;
  const { rows } = await s.db.query<{ k: string; n: string }>(sql, p.values);
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

/** Distinct values of `column` per series step. */
export async function distinctSeries(s: ReadScope, spec: RollupSpec, column: string, extra: DimFilters = {}): Promise<Array<{ t: Date; n: number }>> {
  const p = new SqlParams();
  const src = measureSource(p, spec, source(s, grainsForStep(s.step, s.timeZone), extra));
  const { bucket, frame } = seriesBucket(p, s);
  const sql = `WITH d AS (SELECT DISTINCT ${bucket("s.bucket_start")} AS t, s.${column} AS v FROM (${src}) s), g AS (${frame()})
    SELECT g.t, count(d.v) AS n FROM g LEFT JOIN d ON d.t = g.t GROUP BY g.t ORDER BY g.t`;
  const { rows } = await s.db.query<{ t: Date; n: string }>(sql, p.values);
  return rows.map((r) => ({ t: r.t, n: Number(r.n) }));
}

/** A series per value of `groupBy`: rows (t, k, aggregates) for the steps where k had rows. */
export async function groupedSeries<T extends object>(
  s: ReadScope,
  spec: RollupSpec,
  groupBy: string,
  select: string,
  extra: DimFilters = {},
): Promise<Array<T & { t: Date; k: string }>> {
  const p = new SqlParams();
  const src = measureSource(p, spec, source(s, grainsForStep(s.step, s.timeZone), extra));
  const { bucket } = seriesBucket(p, s);
  const sql = `SELECT ${bucket("s.bucket_start")} AS t, s.${groupBy}::text AS k, ${select} FROM (${src}) s GROUP BY 1, 2 ORDER BY 1, 2`;
  const { rows } = await s.db.query(sql, p.values);
  return rows as Array<T & { t: Date; k: string }>;
}

/*
 * Sketches are merged in Node: each rollup row's (bins, counts) arrays are fetched as stored and
 * added up per key. Unnesting them into SQL aggregates instead took about as long over 30 days
 * (performance 30d p95: 259 ms in Node, 276 ms in SQL) and longer over the default 24 hours.
 * The arrays travel as comma-separated text, which Node splits faster than pg parses arrays.
 */
const SKETCH_TEXT = `array_to_string(s.bins, ',') AS bins, array_to_string(s.counts, ',') AS counts`;

/** Merged sketches, one per value of `groupBy` (or one overall with key ""). */
export async function sketches(s: ReadScope, spec: RollupSpec, sketch: string, groupBy: string[] = [], extra: DimFilters = {}): Promise<Map<string, Sketch>> {
  const p = new SqlParams();
  const key = groupBy.length ? groupBy.map((c) => `s.${c}::text`).join(` || E'\\x1f' || `) : `''`;
  const sql = `SELECT ${key} AS key, ${SKETCH_TEXT} FROM (${sketchArraySource(p, spec, sketch, source(s, GRAINS, extra))}) s`;
  const { rows } = await s.db.query<{ key: string; bins: string; counts: string }>(sql, p.values);
  return mergeSketches(rows);
}

/** Merged sketches per series step. */
export async function sketchSeries(s: ReadScope, spec: RollupSpec, sketch: string, extra: DimFilters = {}): Promise<Map<number, Sketch>> {
  const p = new SqlParams();
  const src = sketchArraySource(p, spec, sketch, source(s, grainsForStep(s.step, s.timeZone), extra));
  const { bucket } = seriesBucket(p, s);
  const sql = `SELECT ${bucket("s.bucket_start")} AS t, ${SKETCH_TEXT} FROM (${src}) s`;
  const { rows } = await s.db.query<{ t: Date; bins: string; counts: string }>(sql, p.values);
  return mergeSketches(rows.map((r) => ({ key: r.t.getTime(), bins: r.bins, counts: r.counts })));
}

/** Start of the local day and month containing `at`, in `timeZone`. */
export async function calendar(db: Db, at: Date, timeZone: string) {
  const { rows } = await db.query<{ day: Date; month: Date; next_month: Date }>(
    `SELECT date_trunc('day', $1::timestamptz, $2) AS day, date_trunc('month', $1::timestamptz, $2) AS month,
       (date_trunc('month', $1::timestamptz AT TIME ZONE $2) + interval '1 month') AT TIME ZONE $2 AS next_month`,
    [at, timeZone],
  );
  return rows[0]!;
}

export const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
export const change = (current: number | null, previous: number | null) =>
  current === null || previous === null || previous === 0 ? null : (current - previous) / previous;
