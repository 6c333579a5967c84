import { beforeAll, describe, expect, it } from "vitest";
import { jobPool, pool } from "@/server/db/pool";
import { exploreMetric } from "@/server/dashboards/metrics-explore";
import { ingestBatch } from "@/server/ingest/pipeline";
import { runRollup } from "@/server/rollup/job";
import { makeProject, orgWithRoles } from "./tenancy-fixtures";

// The explorer answers the same whether closed buckets come from rollup_metrics or from raw points:
// every aggregation of every kind, with a group-by and a filter, over a short range (minute steps)
// and a long one (hour and day steps), before the rollup job has run, after a run that leaves an
// open tail (minute buckets folded, the hour still open), and after a run that folds everything.

// 10:00 UTC five days ago: recent enough that a late point sent now is accepted (ingest refuses points over 30 days old).
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 5 * 86_400_000 + 10 * 3_600_000;
const min = (m: number) => T0 + m * 60_000;
let projectId: string;
let orgId: string;

beforeAll(async () => {
  const fx = await orgWithRoles();
  projectId = (await makeProject(fx.org.id)).id;
  orgId = fx.org.id;
  const events: Record<string, unknown>[] = [];
  const bounds = [25, 50, 75, 100];
  // Points every 7 minutes over two days, so they spread over minutes, hours and days.
  for (let m = 1, i = 1; m <= 2 * 24 * 60; m += 7, i++) {
    for (const route of ["/a", "/b", "/c"]) {
      const step = route === "/a" ? 6 : route === "/b" ? 3 : 1;
      // /b restarts at the one-day mark: a reset the stored increases already account for.
      const restarted = route === "/b" && m > 24 * 60;
      events.push({
        type: "metric",
        name: "http.server.requests",
        kind: "counter",
        temporality: "cumulative",
        timestamp: min(m),
        startTimestamp: restarted ? min(24 * 60) : T0,
        value: step * (restarted ? i - 206 : i),
        attributes: { route, method: i % 2 ? "GET" : "POST" },
        service: "api",
      });
    }
    for (const host of ["h1", "h2", "h3"])
      events.push({
        type: "metric",
        name: "queue.depth",
        kind: "gauge",
        timestamp: min(m) + 1000,
        value: ((i * 7) % 50) + host.length * (host === "h2" ? 10 : 1) + 0.5,
        attributes: { host, zone: host === "h3" ? "b" : "a" },
        service: "api",
      });
    events.push({
      type: "metric",
      name: "job.ms",
      kind: "histogram",
      timestamp: min(m),
      count: 10,
      sum: 10 * (i % 90) + 5,
      min: i % 90,
      max: (i % 90) + 10,
      explicitBounds: bounds,
      bucketCounts: [i % 3, 5 - (i % 3), i % 4, 5 - (i % 4), 0],
      attributes: { queue: i % 2 ? "fast" : "slow" },
    });
    events.push({
      type: "metric",
      name: "rpc.ms",
      kind: "histogram",
      timestamp: min(m),
      count: 6,
      sum: 60,
      min: 0,
      max: 40,
      exponential: { scale: i % 2 ? 2 : 1, zeroCount: 1, positive: { offset: 3 + (i % 5), counts: [1, 2, 1] }, negative: { offset: 0, counts: [1, 0] } },
      attributes: { peer: i % 3 ? "db" : "cache" },
    });
  }
  const res = await ingestBatch(pool, { projectId, orgId: fx.org.id }, events, { receivedAt: new Date(min(2 * 24 * 60 + 5)) });
  expect(res.rejected).toEqual([]);
}, 60_000);

const QUERIES: Array<Record<string, unknown>> = [
  { name: "http.server.requests", kind: "counter", aggregation: "increase", groupBy: ["route"], top: 2 },
  { name: "http.server.requests", kind: "counter", aggregation: "rate", groupBy: ["route", "method"], filters: [{ key: "method", value: "GET" }] },
  { name: "queue.depth", kind: "gauge", aggregation: "last", groupBy: ["zone"] },
  { name: "queue.depth", kind: "gauge", aggregation: "avg", groupBy: ["host"] },
  { name: "queue.depth", kind: "gauge", aggregation: "min", groupBy: ["host"] },
  { name: "queue.depth", kind: "gauge", aggregation: "max", filters: [{ key: "zone", value: "a" }] },
  { name: "job.ms", kind: "histogram", aggregation: "count", groupBy: ["queue"] },
  { name: "job.ms", kind: "histogram", aggregation: "avg", groupBy: ["queue"] },
  { name: "job.ms", kind: "histogram", aggregation: "p50", groupBy: ["queue"] },
  { name: "job.ms", kind: "histogram", aggregation: "p99" },
  { name: "rpc.ms", kind: "histogram", aggregation: "p90", groupBy: ["peer"] },
];
// Ranges that start and end inside buckets: minute steps, hour steps (UTC and a half-hour zone), day steps.
const RANGES = [
  { from: new Date(min(17.5)), to: new Date(min(75)), timeZone: "UTC" },
  { from: new Date(min(-30)), to: new Date(min(24 * 60 - 13)), timeZone: "UTC" },
  { from: new Date(min(95)), to: new Date(min(47 * 60)), timeZone: "Asia/Kolkata" },
  { from: new Date(min(-24 * 60)), to: new Date(min(20 * 24 * 60)), timeZone: "UTC" },
];

async function answers(rollups: boolean) {
  const out = [];
  for (const range of RANGES)
    for (const q of QUERIES) out.push(await exploreMetric(pool, { projectId, ...range, filters: [], groupBy: [], top: 5, ...q, rollups } as never));
  return out;
}

const grains = async () =>
  (await pool.query<{ grain: string }>(`SELECT DISTINCT grain FROM rollup_metrics WHERE project_id = $1 ORDER BY grain`, [projectId])).rows.map((r) => r.grain);

describe("metrics explorer over rollups", () => {
  it("answers identically with and without the rollup job having run, and reads rollup rows once it has", async () => {
    const raw = await answers(false);
    expect(await answers(true)).toEqual(raw);
    // A run in the middle of the data: the first day, its hours and recent minutes folded, the rest read raw.
    await runRollup(jobPool, { projectId, now: new Date(min(24 * 60 + 30)) });
    expect(await grains()).toEqual(["day", "hour", "minute"]);
    expect(await answers(true)).toEqual(raw);
    // Everything closed: days folded, minute buckets pruned past their retention.
    await runRollup(jobPool, { projectId, now: new Date(min(30 * 24 * 60)) });
    expect(await grains()).toEqual(["day", "hour"]);
    expect(await answers(true)).toEqual(raw);
    // A late point in an already folded bucket dirties it: the next run re-folds it from raw points.
    const late = await ingestBatch(
      pool,
      { projectId, orgId },
      [
        {
          type: "metric",
          name: "queue.depth",
          kind: "gauge",
          timestamp: min(200) + 5000,
          value: 1000.5,
          attributes: { host: "h1", zone: "a" },
          service: "api",
        },
        {
          type: "metric",
          name: "job.ms",
          kind: "histogram",
          timestamp: min(201),
          count: 3,
          sum: 600,
          min: 100,
          max: 300,
          explicitBounds: [25, 50, 75, 100],
          bucketCounts: [0, 0, 0, 0, 3],
          attributes: { queue: "fast" },
        },
      ],
      { receivedAt: new Date() },
    );
    expect(late.rejected).toEqual([]);
    const withLate = await answers(false);
    expect(withLate).not.toEqual(raw);
    await runRollup(jobPool, { projectId, now: new Date(min(30 * 24 * 60)) });
    expect(await answers(true)).toEqual(withLate);
    // The long ranges really read rollup rows: doctored rollup rows change their answers, not the raw ones.
    await pool.query(`UPDATE rollup_metrics SET delta = delta + 1000 WHERE project_id = $1 AND name = 'http.server.requests'`, [projectId]);
    const doctored = await answers(true);
    expect(doctored[QUERIES.length * 3]!.series[0]!.value).toBeGreaterThan(raw[QUERIES.length * 3]!.series[0]!.value! + 1000);
    expect(await answers(false)).toEqual(withLate);
    // Non-trivial answers: the comparison above is not between empty results.
    expect(raw[0]!.series.length).toBe(3);
    expect(raw.every((a) => a.series.some((s) => s.value !== null))).toBe(true);
  }, 120_000);
});
