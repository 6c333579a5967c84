/** Performance: throughput and percentiles over time, endpoints table, slowest requests, status classes. */
import type { MetricInput } from "./input";
import { grouped, num, readScope, series, sketches, sketchSeries } from "./read";
import { percentiles } from "../rollup/sketch";
import type { Db } from "@/server/db/sql";
import { endpointsFor, REQUEST_STATUSES, requestsFor } from "../rollup/specs";

export async function getPerformance(db: Db, input: MetricInput & { endpointLimit?: number; slowestLimit?: number }) {
  const s = await readScope(db, input);
  const stepSeconds = s.step.ms / 1000;
  const totalsSpec = requestsFor(s.filters);
  const endpointSpec = endpointsFor(s.filters);
  const [overTime, sketchesOverTime, endpoints, perEndpoint, classes, slowest] = await Promise.all([
    series<{ count: string; errors: string }>(s, totalsSpec, "coalesce(sum(count), 0) AS count, coalesce(sum(error_count), 0) AS errors"),
    sketchSeries(s, totalsSpec, "duration"),
    grouped<{ route: string; method: string; count: string; errors: string; sum: string }>(
      s,
      endpointSpec,
      ["route", "method"],
      "sum(count) AS count, sum(error_count) AS errors, sum(duration_sum) AS sum",
      { orderBy: "sum(count) DESC, route, method", limit: input.endpointLimit ?? 50 },
    ),
    sketches(s, endpointSpec, "duration", ["route", "method"]),
    grouped<{ status_class: number; count: string }>(s, REQUEST_STATUSES, ["status_class"], "sum(count) AS count", { orderBy: "status_class" }),
    slowestRequests(db, { ...input, from: s.from }, input.slowestLimit ?? 20),
  ]);
  return {
    range: { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone },
    overTime: overTime.map((r) => ({
      t: r.t,
      requests: num(r.count),
      throughputPerSecond: num(r.count) / stepSeconds,
      errorRate: num(r.count) ? num(r.errors) / num(r.count) : null,
      ...percentiles(sketchesOverTime.get(r.t.getTime()) ?? { bins: [], counts: [] }),
    })),
    endpoints: endpoints.map((e) => ({
      route: e.route || null,
      method: e.method,
      count: num(e.count),
      errorRate: num(e.count) ? num(e.errors) / num(e.count) : null,
      avgMs: num(e.count) ? num(e.sum) / num(e.count) : null,
      ...percentiles(perEndpoint.get(`${e.route}\x1f${e.method}`) ?? { bins: [], counts: [] }),
    })),
    statusClasses: classes.map((c) => ({ statusClass: `${c.status_class}xx`, count: num(c.count) })),
    slowest,
  };
}

/** Slowest requests in the range: raw rows (a top-N, served by the (project, time) index). */
async function slowestRequests(db: Db, input: MetricInput, limit: number) {
  const f = input.filters;
  const { rows } = await db.query(
    `SELECT id::text AS id, time, method, route, path, status, duration_ms AS "durationMs", service, environment,
        trace_id AS "traceId", user_id AS "userId"
       FROM requests WHERE project_id = $1::uuid AND time >= $2 AND time < $3
        AND ($4::text IS NULL OR environment = $4) AND ($5::text IS NULL OR service = $5)
        AND ($6::text IS NULL OR route = $6) AND ($7::text IS NULL OR method = $7)
       ORDER BY duration_ms DESC LIMIT $8`,
    [input.projectId, input.from, input.to, f.environment ?? null, f.service ?? null, f.route ?? null, f.method ?? null, limit],
  );
  return rows;
}
