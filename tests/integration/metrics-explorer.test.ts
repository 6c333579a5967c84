import { pool } from "@/server/db/pool";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "@/server/ingest/pipeline";
import { callerFor, expectTRPCError, makeOrg, makeProject, makeUser, orgWithRoles } from "./tenancy-fixtures";

// The explorer's procedures through the real router over points stored by the real ingest
// pipeline: a cumulative counter per route (one of them restarting), a gauge on two hosts, a
// histogram; every expected number below is worked out by hand from those points.

const T0 = Date.parse("2026-12-01T10:00:00Z");
const min = (m: number) => T0 + m * 60_000;
const RANGE = { from: new Date(T0), to: new Date(min(60)), timeZone: "UTC" };
let scope: { orgSlug: string; projectSlug: string };
let fx: Awaited<ReturnType<typeof orgWithRoles>>;

beforeAll(async () => {
  fx = await orgWithRoles();
  const project = await makeProject(fx.org.id);
  scope = { orgSlug: fx.org.slug, projectSlug: project.slug };
  const events: Record<string, unknown>[] = [];
  // Cumulative: /a +6 per minute, /b +3 per minute but restarted after minute 5, /c +1 per minute.
  for (let m = 1; m <= 10; m++) {
    const counter = (route: string, value: number, start: number) => ({
      type: "metric",
      name: "http.server.requests",
      kind: "counter",
      unit: "{request}",
      temporality: "cumulative",
      timestamp: min(m),
      startTimestamp: start,
      value,
      attributes: { route, method: "GET" },
      service: "api",
    });
    events.push(counter("/a", 6 * m, T0), counter("/c", m, T0));
    events.push(m <= 5 ? counter("/b", 3 * m, T0) : counter("/b", 3 * (m - 5), min(5.5)));
    for (const [host, level] of [
      ["h1", m],
      ["h2", 100 - m],
    ] as const)
      events.push({ type: "metric", name: "queue.depth", kind: "gauge", timestamp: min(m) + 1000, value: level, attributes: { host }, service: "api" });
  }
  // A delta histogram: 1…100 in buckets (…, 25, 50, 75, 100] spread evenly, half in each of two minutes.
  const bounds = [25, 50, 75, 100];
  events.push(
    {
      type: "metric",
      name: "job.ms",
      kind: "histogram",
      timestamp: min(2),
      count: 50,
      sum: 1275,
      min: 1,
      max: 50,
      explicitBounds: bounds,
      bucketCounts: [25, 25, 0, 0, 0],
    },
    {
      type: "metric",
      name: "job.ms",
      kind: "histogram",
      timestamp: min(3),
      count: 50,
      sum: 3775,
      min: 51,
      max: 100,
      explicitBounds: bounds,
      bucketCounts: [0, 0, 25, 25, 0],
    },
  );
  const res = await ingestBatch(pool, { projectId: project.id, orgId: fx.org.id }, events, { receivedAt: new Date(min(30)) });
  expect(res.rejected).toEqual([]);
});

const explore = (input: Record<string, unknown>) =>
  callerFor(fx.viewer).dashboards.metrics.explore({
    ...scope,
    ...RANGE,
    name: "http.server.requests",
    kind: "counter",
    aggregation: "increase",
    ...input,
  } as never);

describe("metrics explorer", () => {
  it("lists metric names with kind, OTLP type and unit, and a metric's attribute keys", async () => {
    const names = await callerFor(fx.viewer).dashboards.metrics.names({ ...scope, ...RANGE, q: "http" });
    expect(names).toEqual([expect.objectContaining({ name: "http.server.requests", kind: "counter", metricType: "sum", unit: "{request}", points: 30 })]);
    const keys = await callerFor(fx.viewer).dashboards.metrics.attributeKeys({ ...scope, ...RANGE, name: "http.server.requests" });
    expect(keys.map((k) => k.key).sort()).toEqual(["method", "route"]);
  });

  it("counter increase grouped by route: top N kept, the rest folded into (other), resets counted once", async () => {
    const r = await explore({ groupBy: ["route"], top: 2 });
    expect(r.series.map((s) => [s.key, s.value])).toEqual([
      ["/a", 60],
      ["/b", 30],
      ["(other)", 10],
    ]);
    expect(r.series[0]!.labels).toEqual({ route: "/a" });
    expect(r.range.step).toBe("1 minute");
    expect(r.points.map((p) => p.values["/b"])).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  });

  it("counter rate per second, filtered by an attribute, grouped by two", async () => {
    const r = await explore({ aggregation: "rate", filters: [{ key: "route", value: "/a" }], groupBy: ["route", "method"] });
    expect(r.groups).toEqual([{ key: "/a\u001fGET", labels: { route: "/a", method: "GET" } }]);
    expect(r.points.every((p) => p.values["/a\u001fGET"] === 0.1)).toBe(true); // 6 per 60-second bucket
    expect(r.series[0]!.value).toBeCloseTo(60 / 3600, 12);
  });

  it("gauge last (summed over the group's series), avg, min and max", async () => {
    const gauge = (aggregation: string, groupBy: string[] = []) => explore({ name: "queue.depth", kind: "gauge", aggregation, groupBy });
    expect((await gauge("last")).points.map((p) => p.values[""])).toEqual(Array(10).fill(100));
    expect((await gauge("avg")).series[0]!.value).toBe(50);
    expect((await gauge("max", ["host"])).series.map((s) => [s.key, s.value])).toEqual([
      ["h2", 99],
      ["h1", 10],
    ]);
    expect((await gauge("min", ["host"])).series.map((s) => [s.key, s.value])).toEqual([
      ["h2", 90],
      ["h1", 1],
    ]);
  });

  it("histogram count, average and percentiles from merged buckets", async () => {
    const h = (aggregation: string) => explore({ name: "job.ms", kind: "histogram", aggregation });
    expect((await h("count")).series[0]!.value).toBe(100);
    expect((await h("avg")).series[0]!.value).toBe(50.5);
    expect((await h("p50")).series[0]!.value).toBe(50);
    expect((await h("p90")).series[0]!.value).toBe(90);
    expect((await h("p99")).points.map((p) => p.values[""])).toEqual([50 - 25 * 0.02, 100 - 25 * 0.02]); // per minute: 49.5, 99.5
  });

  it("refuses an aggregation the kind does not have, and more than two group-by attributes, naming the field", async () => {
    await expectTRPCError(explore({ aggregation: "p99" }), "BAD_REQUEST", "aggregation");
    await expectTRPCError(explore({ groupBy: ["a", "b", "c"] }), "BAD_REQUEST", "groupBy");
  });

  it("another organisation's member gets NOT_FOUND from every metrics procedure", async () => {
    const stranger = await makeUser("stranger");
    await makeOrg(stranger);
    const c = callerFor(stranger).dashboards.metrics;
    await expectTRPCError(c.names({ ...scope, ...RANGE }), "NOT_FOUND");
    await expectTRPCError(c.attributeKeys({ ...scope, ...RANGE, name: "queue.depth" }), "NOT_FOUND");
    await expectTRPCError(c.explore({ ...scope, ...RANGE, name: "queue.depth", kind: "gauge", aggregation: "last" }), "NOT_FOUND");
  });
});
