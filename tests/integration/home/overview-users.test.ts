import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { jobPool, pool } from "@/server/db/pool";
import { runRollup } from "@/server/rollup/job";
import { getOverview } from "@/server/dashboards/overview";
import { getUserActivity } from "@/server/dashboards/users";
import { insertRows } from "../metrics-fixtures";
import { makeOrg, makeProject, makeUser } from "../tenancy-fixtures";

const ROLLED_AT = new Date("2026-11-25T00:00:00Z");

/** Relative error of an estimate against the exact value. */
const rel = (estimate: number | null, exact: number) => Math.abs((estimate ?? NaN) - exact) / exact;

describe("overview: p50/p99 changes against the previous period and the open-groups sparkline", () => {
  let projectId: string;
  const input = () => ({ projectId, from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-21T00:00:00Z"), timeZone: "UTC", filters: {} });
  beforeAll(async () => {
    projectId = (await makeProject((await makeOrg(await makeUser("ov"))).id)).id;
    const req = (time: Date, duration: number) => ({ project_id: projectId, time, method: "GET", route: "/", path: "/", status: 200, duration_ms: duration });
    const rows = [];
    // Previous day: 1…100 ms. This day: the same, except the ten slowest take three times as long.
    for (let i = 1; i <= 100; i++) rows.push(req(new Date(Date.parse("2026-11-19T10:00:00Z") + i * 1000), i));
    for (let i = 1; i <= 100; i++) rows.push(req(new Date(Date.parse("2026-11-20T10:00:00Z") + i * 1000), i <= 90 ? i : 3 * i));
    await insertRows("requests", rows);
    // Open groups A (5 events at 10h) and B (1 at 10h, 3 at 12h); C is resolved (2 at 10h).
    const [A, B, C] = [randomUUID(), randomUUID(), randomUUID()];
    await insertRows(
      "error_groups",
      [
        [A, "unresolved"],
        [B, "unresolved"],
        [C, "resolved"],
      ].map(([id, status], n) => ({
        project_id: projectId,
        id,
        fingerprint: `fp-${id}`,
        title: `E${n}`,
        level: "error",
        status,
        count: 1,
        first_seen: new Date("2026-11-20T10:00:00Z"),
        last_seen: new Date("2026-11-20T12:00:00Z"),
      })),
    );
    const ev = (group: string, iso: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        project_id: projectId,
        group_id: group,
        time: new Date(Date.parse(iso) + i * 1000),
        level: "error",
        title: "E",
        tags: "{}",
      }));
    await insertRows("error_events", [
      ...ev(A!, "2026-11-20T10:05:00Z", 5),
      ...ev(B!, "2026-11-20T10:10:00Z", 1),
      ...ev(B!, "2026-11-20T12:10:00Z", 3),
      ...ev(C!, "2026-11-20T10:20:00Z", 2),
    ]);
  });

  const check = async () => {
    const o = await getOverview(pool, { ...input(), includeSpend: false });
    // Exact percentile_cont: previous p50 50.5, p99 99.01; current p50 50.5, p99 297.03 (sketch within 1 %).
    expect(rel(o.latency.previous.p50, 50.5)).toBeLessThan(0.01);
    expect(rel(o.latency.value.p50, 50.5)).toBeLessThan(0.01);
    expect(rel(o.latency.previous.p99, 99.01)).toBeLessThan(0.01);
    expect(rel(o.latency.value.p99, 297.03)).toBeLessThan(0.01);
    expect(Math.abs(o.latency.change.p50!)).toBeLessThan(0.021); // 0 exactly up to the sketch's bound
    expect(o.latency.change.p99!).toBeGreaterThan(1.94); // 297.03 / 99.01 − 1 = 2.0
    expect(o.latency.change.p99!).toBeLessThan(2.06);
    expect(o.latency.change.p99).toBeCloseTo(o.latency.value.p99! / o.latency.previous.p99! - 1, 12);
    expect(o.latency.change.p50).toBeCloseTo(o.latency.value.p50! / o.latency.previous.p50! - 1, 12);
    const ten = o.latency.sparkline.find((p) => p.t.toISOString() === "2026-11-20T10:00:00.000Z")!;
    expect(rel(ten.p99, 297.03)).toBeLessThan(0.01);
    expect(rel(ten.p50, 50.5)).toBeLessThan(0.01);
    // Open groups: A and B; per hour, the open groups with events in that hour (not the event count).
    expect(o.openErrorGroups.value).toBe(2);
    const spark = Object.fromEntries(o.openErrorGroups.sparkline.filter((p) => p.value).map((p) => [p.t.toISOString().slice(11, 16), p.value]));
    expect(spark).toEqual({ "10:00": 2, "12:00": 1 });
    expect(o.openErrorGroups.sparkline).toHaveLength(24);
    expect("openGroupIds" in o.openErrorGroups).toBe(false);
  };

  it("before any rollup", check);
  it("after the rollup job, the same", async () => {
    await runRollup(jobPool, { now: ROLLED_AT, projectId });
    await check();
  });
});

describe("users: DAU, WAU and weekly active users per calendar week in the viewer's zone", () => {
  let projectId: string;
  beforeAll(async () => {
    projectId = (await makeProject((await makeOrg(await makeUser("wau"))).id)).id;
    const req = (iso: string, user: string | null) => ({
      project_id: projectId,
      time: new Date(iso),
      method: "GET",
      route: "/",
      path: "/",
      status: 200,
      duration_ms: 1,
      user_id: user,
    });
    await insertRows("requests", [
      req("2026-11-10T10:00:00Z", "u1"),
      req("2026-11-12T10:00:00Z", "u2"),
      req("2026-11-13T10:00:00Z", "u1"),
      req("2026-11-15T23:30:00Z", "u4"), // Monday 00:30 in Berlin (second week there), still Sunday in UTC
      req("2026-11-18T10:00:00Z", "u1"),
      req("2026-11-19T10:00:00Z", null),
      req("2026-11-22T23:30:00Z", "u6"), // Monday 23 November 00:30 in Berlin
    ]);
    await insertRows("product_events", [{ project_id: projectId, time: new Date("2026-11-15T22:30:00Z"), name: "x", user_id: "u3" }]);
    await insertRows("llm_calls", [
      {
        project_id: projectId,
        time: new Date("2026-11-22T12:00:00Z"),
        provider: "openai",
        model: "m",
        operation: "chat",
        input_tokens: 1,
        output_tokens: 1,
        latency_ms: 1,
        status: "ok",
        cost_usd: "0.001",
        cost_source: "table",
        user_id: "u5",
      },
    ]);
  });
  const range = (timeZone: string) => ({ projectId, from: new Date("2026-11-09T00:00:00Z"), to: new Date("2026-11-23T00:00:00Z"), timeZone, filters: {} });
  const weeks = (w: Array<{ t: Date; users: number }>) => w.map((x) => [x.t.toISOString(), x.users]);

  const check = async () => {
    const berlin = await getUserActivity(pool, range("Europe/Berlin"));
    // Weeks start Monday 00:00 Berlin (23:00 UTC the day before).
    expect(weeks(berlin.weeklyActive)).toEqual([
      ["2026-11-08T23:00:00.000Z", 3], // u1, u2, u3
      ["2026-11-15T23:00:00.000Z", 3], // u4, u1, u5
      ["2026-11-22T23:00:00.000Z", 1], // u6
    ]);
    expect(berlin.dau).toBe(2); // since 22 Nov 00:00 UTC: u5, u6
    expect(berlin.wau).toBe(3); // since 16 Nov 00:00 UTC: u1, u5, u6 (u4 is half an hour earlier)
    expect(berlin.activeInRange).toBe(6);
    const daily = Object.fromEntries(berlin.dailyActive.filter((d) => d.users).map((d) => [d.t.toISOString(), d.users]));
    expect(daily).toEqual({
      "2026-11-09T23:00:00.000Z": 1,
      "2026-11-11T23:00:00.000Z": 1,
      "2026-11-12T23:00:00.000Z": 1,
      "2026-11-14T23:00:00.000Z": 1,
      "2026-11-15T23:00:00.000Z": 1,
      "2026-11-17T23:00:00.000Z": 1,
      "2026-11-21T23:00:00.000Z": 1,
      "2026-11-22T23:00:00.000Z": 1,
    });
    const utc = await getUserActivity(pool, range("UTC"));
    expect(weeks(utc.weeklyActive)).toEqual([
      ["2026-11-09T00:00:00.000Z", 4], // u1, u2, u3, u4
      ["2026-11-16T00:00:00.000Z", 3], // u1, u5, u6
    ]);
    expect([utc.dau, utc.wau]).toEqual([2, 3]);
  };

  it("before any rollup", check);
  it("after the rollup job, the same", async () => {
    await runRollup(jobPool, { now: ROLLED_AT, projectId });
    await check();
  });
});
