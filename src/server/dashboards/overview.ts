/** Overview: headline numbers with their change against the previous period and a sparkline each. */
import { GRAINS } from "../rollup/buckets";
import type { MetricInput } from "./input";
import {
  calendar,
  change,
  distinctCount,
  distinctSeries,
  num,
  previousPeriod,
  readScope,
  series,
  shifted,
  sketches,
  sketchSeries,
  totals,
  type ReadScope,
} from "./read";
import { percentiles } from "../rollup/sketch";
import { measureSource } from "./sources";
import { SqlParams, type Db } from "@/server/db/sql";
import { ERRORS, LLM, requestsFor, USERS } from "../rollup/specs";

const activeKinds = { kind: "active" };

async function headline(s: ReadScope, withUsers: boolean) {
  const REQUESTS = requestsFor(s.filters);
  const [req, sketch, users, openIds] = await Promise.all([
    totals<{ count: string; errors: string }>(s, REQUESTS, "coalesce(sum(count), 0) AS count, coalesce(sum(error_count), 0) AS errors"),
    sketches(s, REQUESTS, "duration").then((m) => m.get("") ?? { bins: [], counts: [] }),
    withUsers ? distinctCount(s, USERS, "user_id", activeKinds).then((m) => m.get("") ?? 0) : null,
    openGroups(s),
  ]);
  const count = num(req.count);
  return {
    requests: count,
    errorRate: count ? num(req.errors) / count : null,
    latency: percentiles(sketch),
    activeUsers: users,
    openErrorGroups: openIds.length,
    openGroupIds: openIds,
  };
}

/** Groups open now (unresolved) that had events in the range. */
async function openGroups(s: ReadScope): Promise<string[]> {
  const p = new SqlParams();
  const src = measureSource(p, ERRORS, { ...s, grains: GRAINS });
  const { rows } = await s.db.query<{ id: string }>(
    `SELECT g.id FROM error_groups g WHERE g.project_id = ${p.add(s.projectId)}::uuid AND g.status = 'unresolved'
       AND g.id IN (SELECT group_id FROM (${src}) s)`,
    p.values,
  );
  return rows.map((r) => r.id);
}

const spendOf = async (s: ReadScope) => num((await totals<{ cost: string }>(s, LLM, "coalesce(sum(cost_usd), 0) AS cost")).cost);

/**
 * `to` is "now" for today and month to date; each compares with the same span one period earlier.
 * `includeActiveUsers: false` skips the exact distinct-user counts, the page's costliest reads, for
 * callers that do not show them (the org home's Engineering and Operations views): activeUsers is
 * then null with an empty sparkline.
 */
export async function getOverview(db: Db, input: MetricInput & { includeSpend?: boolean; includeActiveUsers?: boolean }) {
  const s = await readScope(db, input);
  const REQUESTS = requestsFor(s.filters);
  const withUsers = input.includeActiveUsers !== false;
  const currentHeadline = headline(s, withUsers);
  // The open-groups sparkline counts, per step, the groups open now that had events in that step:
  // the headline's own definition applied to each step (not the number of error events).
  const openSeries = currentHeadline.then((c) => distinctSeries(s, ERRORS, "group_id", { group_id: c.openGroupIds }));
  const [current, previous, reqSeries, latencySeries, userSeries, spend, openSpark] = await Promise.all([
    currentHeadline,
    headline(previousPeriod(s), withUsers),
    series<{ count: string; errors: string }>(s, REQUESTS, "coalesce(sum(count), 0) AS count, coalesce(sum(error_count), 0) AS errors"),
    sketchSeries(s, REQUESTS, "duration"),
    withUsers ? distinctSeries(s, USERS, "user_id", activeKinds) : [],
    input.includeSpend === false ? null : spendSummary(s),
    openSeries,
  ]);
  const metric = <K extends "requests" | "errorRate" | "latency" | "activeUsers" | "openErrorGroups">(key: K) => ({
    value: current[key],
    previous: previous[key],
  });
  const result = {
    range: { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone },
    requests: {
      ...metric("requests"),
      change: change(current.requests, previous.requests),
      sparkline: reqSeries.map((r) => ({ t: r.t, value: num(r.count) })),
    },
    errorRate: {
      ...metric("errorRate"),
      change: change(current.errorRate, previous.errorRate),
      sparkline: reqSeries.map((r) => ({ t: r.t, value: num(r.count) ? num(r.errors) / num(r.count) : null })),
    },
    latency: {
      ...metric("latency"),
      change: {
        p50: change(current.latency.p50, previous.latency.p50),
        p95: change(current.latency.p95, previous.latency.p95),
        p99: change(current.latency.p99, previous.latency.p99),
      },
      sparkline: reqSeries.map((r) => ({ t: r.t, ...percentiles(latencySeries.get(r.t.getTime()) ?? { bins: [], counts: [] }) })),
    },
    activeUsers: {
      ...metric("activeUsers"),
      change: change(current.activeUsers, previous.activeUsers),
      sparkline: userSeries.map((r) => ({ t: r.t, value: r.n })),
    },
    openErrorGroups: {
      ...metric("openErrorGroups"),
      change: change(current.openErrorGroups, previous.openErrorGroups),
      sparkline: openSpark.map((r) => ({ t: r.t, value: r.n })),
    },
  };
  return spend ? { ...result, spend } : result;
}

async function spendSummary(s: ReadScope) {
  const cal = await calendar(s.db, s.to, s.timeZone);
  const dayMs = s.to.getTime() - cal.day.getTime();
  const today = dayMs > 0 ? shifted(s, cal.day, s.to) : null;
  const yesterday = today ? shifted(s, new Date(cal.day.getTime() - 86_400_000), new Date(s.to.getTime() - 86_400_000)) : null;
  const mtd = s.to > cal.month ? shifted(s, cal.month, s.to) : null;
  const prevMonthStart = (await calendar(s.db, new Date(cal.month.getTime() - 1), s.timeZone)).month;
  const prevMtd = mtd ? shifted(s, prevMonthStart, new Date(prevMonthStart.getTime() + (s.to.getTime() - cal.month.getTime()))) : null;
  const [[t, y, m, pm], spark] = await Promise.all([
    Promise.all([today, yesterday, mtd, prevMtd].map((x) => (x ? spendOf(x) : Promise.resolve(0)))),
    series<{ cost: string }>(s, LLM, "coalesce(sum(cost_usd), 0) AS cost"),
  ]);
  return {
    todayUsd: t!,
    yesterdaySameTimeUsd: y!,
    todayChange: change(t!, y!),
    monthToDateUsd: m!,
    previousMonthSameDayUsd: pm!,
    monthToDateChange: change(m!, pm!),
    sparkline: spark.map((r) => ({ t: r.t, value: num(r.cost) })),
  };
}
