/**
 * Set-based reads for rule evaluation, on the dashboards' own sources (src/server/dashboards/sources.ts: rollup
 * rows for closed minutes plus raw rows for the open tail), so an alert and the chart it points at
 * agree. One query per project and data source serves every rule on that source: each rule is a
 * pair of `FILTER (WHERE …)` columns (its window, and the previous window for %-change rules).
 */
import { exploreMetric } from "../dashboards/metrics-explore";
import { loadWatermarks, measureSource, sketchSource } from "../dashboards/sources";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";
import { sketchQuantile } from "../rollup/sketch";
import { ERRORS, LLM, REQUESTS, type RollupSpec } from "../rollup/specs";
import type { AlertFilters, Metric, MetricConfig } from "./schemas";

type MetricRule = { id: string; projectId: string; config: MetricConfig };
/** Current value (null = no data), request count in the window (for the guard). */
export type MetricReading = { value: number | null; requests: number | null };

const MINUTE = 60_000;

export function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

type Window = { cur: Date; prev: Date };
const windowOf = (c: MetricConfig, now: Date): Window => ({
  cur: new Date(now.getTime() - c.windowMinutes * MINUTE),
  prev: new Date(now.getTime() - 2 * c.windowMinutes * MINUTE),
});

function filterSql(p: SqlParams, filters: AlertFilters, columns: Record<string, string>): string {
  const parts = Object.entries(filters)
    .filter(([k, v]) => v !== undefined && columns[k])
    .map(([k, v]) => `${columns[k]}::text = ${p.add(v)}`);
  return parts.length ? ` AND ${parts.join(" AND ")}` : "";
}

const sameColumns = (spec: RollupSpec) => Object.fromEntries(spec.dims.map((d) => [d, `s.${d}`]));

/** `FILTER` predicate for the current (or previous) window of a rule. */
function windowPred(p: SqlParams, w: Window, which: "cur" | "prev", now: Date, col = "s.bucket_start") {
  return which === "cur" ? `${col} >= ${p.add(w.cur)} AND ${col} < ${p.add(now)}` : `${col} >= ${p.add(w.prev)} AND ${col} < ${p.add(w.cur)}`;
}

const earliest = (rules: MetricRule[], now: Date) =>
  new Date(Math.min(...rules.map((r) => (r.config.thresholdType === "percent_change" ? windowOf(r.config, now).prev : windowOf(r.config, now).cur).getTime())));

/** Per-rule sums of `expr` over one spec: `[cur, prev, requests?]` per rule, one query. */
async function sumsOver(db: Db, spec: RollupSpec, projectId: string, rules: MetricRule[], now: Date, exprFor: (r: MetricRule) => string[]) {
  const p = new SqlParams();
  const watermarks = await loadWatermarks(db, projectId);
  const src = measureSource(p, spec, { projectId, from: earliest(rules, now), to: now, filters: {}, grains: ["minute"], watermarks });
  const cols: string[] = [];
  rules.forEach((r, i) => {
    const w = windowOf(r.config, now);
    const f = filterSql(p, r.config.filters, sameColumns(spec));
    exprFor(r).forEach((expr, j) => {
      cols.push(`coalesce(sum(${expr}) FILTER (WHERE ${windowPred(p, w, "cur", now)}${f}), 0)::float8 AS c${i}_${j}`);
      if (r.config.thresholdType === "percent_change")
        cols.push(`coalesce(sum(${expr}) FILTER (WHERE ${windowPred(p, w, "prev", now)}${f}), 0)::float8 AS p${i}_${j}`);
    });
  });
  const { rows } = await db.query<Record<string, number>>(`SELECT ${cols.join(", ")} FROM (${src}) s`, p.values);
  const row = rows[0] ?? {};
  return rules.map((_, i) => ({ cur: (j: number) => Number(row[`c${i}_${j}`] ?? 0), prev: (j: number) => Number(row[`p${i}_${j}`] ?? 0) }));
}

const pctChange = (cur: number | null, prev: number | null) => (cur === null || prev === null || prev === 0 ? null : ((cur - prev) / prev) * 100);

function reading(r: MetricRule, cur: number | null, prev: number | null, requests: number | null): MetricReading {
  return { value: r.config.thresholdType === "percent_change" ? pctChange(cur, prev) : cur, requests };
}

async function requestRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  const sums = await sumsOver(db, REQUESTS, projectId, rules, now, (r) => (r.config.metric === "error_rate" ? ["s.count", "s.error_count"] : ["s.count"]));
  rules.forEach((r, i) => {
    const s = sums[i]!;
    if (r.config.metric === "request_count") return void out.set(r.id, reading(r, s.cur(0), s.prev(0), s.cur(0)));
    const rate = (n: number, e: number) => (n ? e / n : null);
    out.set(r.id, reading(r, rate(s.cur(0), s.cur(1)), rate(s.prev(0), s.prev(1)), s.cur(0)));
  });
}

async function latencyRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  const p = new SqlParams();
  const watermarks = await loadWatermarks(db, projectId);
  const src = sketchSource(p, REQUESTS, "duration", { projectId, from: earliest(rules, now), to: now, filters: {}, grains: ["minute"], watermarks });
  const cols: string[] = [];
  rules.forEach((r, i) => {
    const w = windowOf(r.config, now);
    const f = filterSql(p, r.config.filters, sameColumns(REQUESTS));
    cols.push(`coalesce(sum(s.cnt) FILTER (WHERE ${windowPred(p, w, "cur", now)}${f}), 0)::float8 AS c${i}`);
    cols.push(`coalesce(sum(s.cnt) FILTER (WHERE ${windowPred(p, w, "prev", now)}${f}), 0)::float8 AS p${i}`);
  });
  const { rows } = await db.query<Record<string, number>>(`SELECT s.bin, ${cols.join(", ")} FROM (${src}) s GROUP BY s.bin ORDER BY s.bin`, p.values);
  rules.forEach((r, i) => {
    const q = r.config.metric === "latency_p99" ? 0.99 : 0.95;
    const of = (prefix: string) => {
      const kept = rows.filter((row) => Number(row[`${prefix}${i}`]) > 0);
      return { bins: kept.map((row) => Number(row.bin)), counts: kept.map((row) => Number(row[`${prefix}${i}`])) };
    };
    const cur = of("c");
    const requests = cur.counts.reduce((a, b) => a + b, 0);
    out.set(r.id, reading(r, sketchQuantile(cur, q), sketchQuantile(of("p"), q), requests));
  });
}

async function llmRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  const sums = await sumsOver(db, LLM, projectId, rules, now, (r) => [r.config.metric === "llm_spend" ? "s.cost_usd" : "s.input_tokens + s.output_tokens"]);
  rules.forEach((r, i) => out.set(r.id, reading(r, sums[i]!.cur(0), sums[i]!.prev(0), null)));
}

async function errorCountRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  const sums = await sumsOver(db, ERRORS, projectId, rules, now, () => ["s.count"]);
  rules.forEach((r, i) => out.set(r.id, reading(r, sums[i]!.cur(0), sums[i]!.prev(0), null)));
}

/** Log search counts straight from `logs` (no rollup keeps messages); one query for all rules. */
async function logRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  const p = new SqlParams();
  const cols: string[] = [];
  const columns = { service: "l.service", environment: "l.environment", level: "l.level", user: "l.user_id" };
  rules.forEach((r, i) => {
    const w = windowOf(r.config, now);
    const match = `l.message ILIKE ${p.add(containsPattern(r.config.search!))}${filterSql(p, r.config.filters, columns)}`;
    cols.push(`count(*) FILTER (WHERE ${windowPred(p, w, "cur", now, "l.time")} AND ${match})::float8 AS c${i}`);
    cols.push(`count(*) FILTER (WHERE ${windowPred(p, w, "prev", now, "l.time")} AND ${match})::float8 AS p${i}`);
  });
  const sql = `SELECT ${cols.join(", ")} FROM logs l WHERE l.project_id = ${p.add(projectId)}::uuid AND l.time >= ${p.add(earliest(rules, now))} AND l.time < ${p.add(now)}`;
  const row = (await db.query<Record<string, number>>(sql, p.values)).rows[0] ?? {};
  rules.forEach((r, i) => out.set(r.id, reading(r, Number(row[`c${i}`] ?? 0), Number(row[`p${i}`] ?? 0), null)));
}

/**
 * A raw table a user-filtered rule is read from: its filter columns (normalised as the rollup
 * specs normalise them, so a filter means the same on both paths) and, per metric, the aggregates
 * a reading is made of, each evaluated under the rule's window predicate.
 */
type RawSource = {
  table: string;
  columns: Record<string, string>;
  aggregates: (metric: Metric, where: string) => string[];
  reading: (metric: Metric, values: Array<number | null>) => { value: number | null; requests: number | null };
};

const count = (where: string) => `count(*) FILTER (WHERE ${where})`;
const rate = (n: number | null, e: number | null) => (n ? (e ?? 0) / n : null);

const RAW_SOURCES: Array<RawSource & { metrics: Metric[] }> = [
  {
    table: "requests",
    metrics: ["request_count", "error_rate", "latency_p95", "latency_p99"],
    columns: {
      service: "coalesce(t.service, '')",
      environment: "coalesce(t.environment, '')",
      route: "coalesce(left(t.route, 512), '')",
      method: "t.method",
      user: "t.user_id",
    },
    aggregates: (metric, where) =>
      metric === "request_count"
        ? [count(where)]
        : metric === "error_rate"
          ? [count(where), count(`${where} AND t.status >= 500`)]
          : [`percentile_cont(${metric === "latency_p99" ? 0.99 : 0.95}) WITHIN GROUP (ORDER BY t.duration_ms) FILTER (WHERE ${where})`, count(where)],
    reading: (metric, [a = null, b = null]) =>
      metric === "request_count" ? { value: a, requests: a } : metric === "error_rate" ? { value: rate(a, b), requests: a } : { value: a, requests: b },
  },
  {
    table: "llm_calls",
    metrics: ["llm_spend", "llm_tokens"],
    columns: {
      model: "t.model",
      provider: "coalesce(t.provider, '')",
      feature: "coalesce(t.feature, '')",
      environment: "coalesce(t.environment, '')",
      user: "t.user_id",
    },
    aggregates: (metric, where) => [`coalesce(sum(${metric === "llm_spend" ? "t.cost_usd" : "t.input_tokens + t.output_tokens"}) FILTER (WHERE ${where}), 0)`],
    reading: (_metric, [a = null]) => ({ value: a, requests: null }),
  },
  {
    table: "error_events",
    metrics: ["error_count"],
    columns: { environment: "coalesce(t.environment, '')", release: "coalesce(t.release, '')", user: "t.user_id" },
    aggregates: (_metric, where) => [count(where)],
    reading: (_metric, [a = null]) => ({ value: a, requests: null }),
  },
];

/**
 * Rules filtered by user, from raw rows (rollups keep no user ids): one query per project and
 * table for all such rules, on the (project_id, time) index over the widest window, narrowed to
 * the rules' users. Windows are minutes long, so the scan stays small.
 */
async function userRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  for (const source of RAW_SOURCES) {
    const these = rules.filter((r) => source.metrics.includes(r.config.metric));
    if (!these.length) continue;
    const p = new SqlParams();
    const cols: string[] = [];
    const shape = these.map((r, i) => {
      const w = windowOf(r.config, now);
      const f = filterSql(p, r.config.filters, source.columns);
      const cur = source.aggregates(r.config.metric, `${windowPred(p, w, "cur", now, "t.time")}${f}`);
      cur.forEach((agg, j) => cols.push(`(${agg})::float8 AS c${i}_${j}`));
      const prev = r.config.thresholdType === "percent_change" ? source.aggregates(r.config.metric, `${windowPred(p, w, "prev", now, "t.time")}${f}`) : [];
      prev.forEach((agg, j) => cols.push(`(${agg})::float8 AS p${i}_${j}`));
      return { cur: cur.length, prev: prev.length };
    });
    const users = [...new Set(these.map((r) => r.config.filters.user!))];
    const sql = `SELECT ${cols.join(", ")} FROM ${source.table} t
      WHERE t.project_id = ${p.add(projectId)}::uuid AND t.time >= ${p.add(earliest(these, now))} AND t.time < ${p.add(now)} AND t.user_id = ANY(${p.add(users)}::text[])`;
    const row = (await db.query<Record<string, number | null>>(sql, p.values)).rows[0] ?? {};
    const values = (prefix: string, i: number, n: number) =>
      Array.from({ length: n }, (_, j) =>
        row[`${prefix}${i}_${j}`] === null || row[`${prefix}${i}_${j}`] === undefined ? null : Number(row[`${prefix}${i}_${j}`]),
      );
    these.forEach((r, i) => {
      const cur = source.reading(r.config.metric, values("c", i, shape[i]!.cur));
      const prev = shape[i]!.prev ? source.reading(r.config.metric, values("p", i, shape[i]!.prev)).value : null;
      out.set(r.id, reading(r, cur.value, prev, cur.requests));
    });
  }
}

/**
 * Custom metrics, read exactly as the metrics explorer reads them (stored increases, merged
 * buckets): one value per rule over its window, and over the previous window for %-change rules.
 */
async function customMetricRules(db: Db, projectId: string, rules: MetricRule[], now: Date, out: Map<string, MetricReading>) {
  for (const r of rules) {
    const c = r.config.custom!;
    const w = windowOf(r.config, now);
    const over = async (from: Date, to: Date) => {
      const found = await exploreMetric(db, {
        projectId,
        from,
        to,
        timeZone: "UTC",
        name: c.name,
        kind: c.kind,
        aggregation: c.aggregation,
        filters: c.attributes,
        groupBy: [],
        top: 1,
      });
      return found.series[0]?.value ?? null;
    };
    const cur = await over(w.cur, now);
    const prev = r.config.thresholdType === "percent_change" ? await over(w.prev, w.cur) : null;
    out.set(r.id, reading(r, cur, prev, null));
  }
}

const FAMILIES: Array<{ metrics: string[]; read: typeof requestRules }> = [
  { metrics: ["error_rate", "request_count"], read: requestRules },
  { metrics: ["latency_p95", "latency_p99"], read: latencyRules },
  { metrics: ["llm_spend", "llm_tokens"], read: llmRules },
  { metrics: ["error_count"], read: errorCountRules },
  { metrics: ["log_count"], read: logRules },
  { metrics: ["custom_metric"], read: customMetricRules },
];

/** Readings for every metric rule: one query per project and data source. */
export async function readMetricRules(db: Db, rules: MetricRule[], now: Date): Promise<Map<string, MetricReading>> {
  const out = new Map<string, MetricReading>();
  const byProject = groupBy(rules, (r) => r.projectId);
  for (const [projectId, projectRules] of byProject) {
    // Logs are read raw anyway, so log rules honour a user filter on their own path.
    const byUser = projectRules.filter((r) => r.config.filters.user !== undefined && r.config.metric !== "log_count");
    const rest = projectRules.filter((r) => !byUser.includes(r));
    if (byUser.length) await userRules(db, projectId, byUser, now, out);
    for (const family of FAMILIES) {
      const these = rest.filter((r) => family.metrics.includes(r.config.metric));
      if (these.length) await family.read(db, projectId, these, now, out);
    }
  }
  return out;
}

/** Error groups seen more than their rule's threshold in its window: one query per project. */
export async function readGroupCounts(
  db: Db,
  rules: Array<{ id: string; projectId: string; windowMinutes: number; filters: AlertFilters }>,
  now: Date,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const [projectId, these] of groupBy(rules, (r) => r.projectId)) {
    const p = new SqlParams();
    const from = new Date(now.getTime() - Math.max(...these.map((r) => r.windowMinutes)) * MINUTE);
    const watermarks = await loadWatermarks(db, projectId);
    const src = measureSource(p, ERRORS, { projectId, from, to: now, filters: {}, grains: ["minute"], watermarks });
    const cols = these.map((r, i) => {
      const cur = new Date(now.getTime() - r.windowMinutes * MINUTE);
      return `coalesce(sum(s.count) FILTER (WHERE s.bucket_start >= ${p.add(cur)}${filterSql(p, r.filters, sameColumns(ERRORS))}), 0)::float8 AS c${i}`;
    });
    const { rows } = await db.query<Record<string, number | string>>(
      `SELECT s.group_id::text AS group_id, ${cols.join(", ")} FROM (${src}) s GROUP BY s.group_id`,
      p.values,
    );
    these.forEach((r, i) => out.set(r.id, new Map(rows.map((row) => [String(row.group_id), Number(row[`c${i}`])]))));
  }
  return out;
}
