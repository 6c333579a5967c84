import { beforeAll, describe, expect, it } from "vitest";
import { jobPool, pool } from "@/server/db/pool";
import { listErrorGroupsInRange as listErrorGroups, getErrorGroup } from "@/server/dashboards/errors";
import { getLlmUsage } from "@/server/dashboards/llm";
import { getOverview } from "@/server/dashboards/overview";
import { getPerformance } from "@/server/dashboards/performance";
import { runRollup } from "@/server/rollup/job";
import { USERS } from "@/server/rollup/specs";
import { getUserActivity } from "@/server/dashboards/users";
import { at, insertRows, RANGE, ROLLUP_NOW, seedDataset } from "./metrics-fixtures";
import { makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

let projectId: string;
let groups: { g1: string; g2: string };

async function exact(sql: string, params: unknown[]) {
  const { rows } = await pool.query<{ p50: number; p95: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY v) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY v) AS p99 FROM (${sql}) x`,
    params,
  );
  return rows[0]!;
}

function within1pct(actual: { p50: number | null; p95: number | null; p99: number | null }, expected: { p50: number; p95: number; p99: number }) {
  for (const k of ["p50", "p95", "p99"] as const) {
    expect(actual[k], k).not.toBeNull();
    expect(Math.abs(actual[k]! - expected[k]) / expected[k], `${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(0.01);
  }
}

const input = () => ({ ...RANGE, projectId });

async function everything() {
  return {
    overview: await getOverview(pool, input()),
    performance: await getPerformance(pool, input()),
    llm: await getLlmUsage(pool, input()),
    users: await getUserActivity(pool, input()),
    errors: await listErrorGroups(pool, input()),
    errorsV2: await listErrorGroups(pool, { ...input(), filters: { release: "v2" } }),
    staging: await listErrorGroups(pool, { ...input(), filters: { environment: "staging" } }),
    unresolved: await listErrorGroups(pool, { ...input(), status: "unresolved" }),
    summary: await listErrorGroups(pool, { ...input(), withUsersAndSparklines: false }),
    group: await getErrorGroup(pool, { ...input(), groupId: groups.g1 }),
  };
}

function checkAnswers(r: Awaited<ReturnType<typeof everything>>) {
  // Requests: 200 on /api/chat (every 10th a 500) + 100 on /api/users (4 × 404) + 10 open-tail chat requests.
  expect(r.overview.requests.value).toBe(310);
  expect(r.overview.errorRate.value).toBeCloseTo(20 / 310, 12);
  expect(r.overview.activeUsers.value).toBe(8); // u0…u7 across requests, LLM calls and product events
  expect(r.overview.openErrorGroups.value).toBe(1);
  expect(r.overview.requests.sparkline.reduce((a, p) => a + p.value, 0)).toBe(310);
  expect(r.overview.requests.previous).toBe(0);
  expect("spend" in r.overview && r.overview.spend.todayUsd).toBeCloseTo(0.7, 10); // 30 × $0.01 + 20 × $0.02
  expect("spend" in r.overview && r.overview.spend.monthToDateUsd).toBeCloseTo(0.7, 10);

  const chat = r.performance.endpoints.find((e) => e.route === "/api/chat")!;
  const users = r.performance.endpoints.find((e) => e.route === "/api/users")!;
  expect([chat.count, chat.errorRate, users.count, users.errorRate]).toEqual([210, 20 / 210, 100, 0]);
  expect(r.performance.statusClasses).toEqual([
    { statusClass: "2xx", count: 286 },
    { statusClass: "4xx", count: 4 },
    { statusClass: "5xx", count: 20 },
  ]);
  expect(r.performance.slowest[0]).toMatchObject({ route: "/api/chat", durationMs: 5000 });
  expect(r.performance.overTime.reduce((a, p) => a + p.requests, 0)).toBe(310);

  expect(r.llm.total).toMatchObject({
    calls: 50,
    errorRate: 3 / 50,
    tokens: { input: 70_000, cachedInput: 3000, cacheWrite: 0, output: 14_000, reasoning: 1000 },
  });
  expect("costUsd" in r.llm.total && r.llm.total.costUsd).toBeCloseTo(0.7, 10);
  expect(r.llm.byModel.map((m) => [m.model, m.calls, "costUsd" in m ? Number(m.costUsd.toFixed(10)) : null])).toEqual([
    ["claude-sonnet-4", 20, 0.4],
    ["gpt-4o", 30, 0.3],
  ]);
  expect(r.llm.byFeature.map((m) => [m.feature, m.calls])).toEqual([
    ["summarize", 20],
    ["chat", 30],
  ]);
  const perModel = (model: string) => r.llm.overTimeByModel.filter((p) => p.model === model);
  expect(perModel("gpt-4o").reduce((a, p) => a + p.calls, 0)).toBe(30);
  expect(perModel("claude-sonnet-4").reduce((a, p) => a + p.tokens.input, 0)).toBe(40_000);
  // gpt-4o calls every 2 minutes from 10:02: 29 of them before 11:00, the 30th at 11:00.
  expect(perModel("gpt-4o").map((p) => [p.t.toISOString().slice(11, 16), p.calls])).toEqual([
    ["10:00", 29],
    ["11:00", 1],
  ]);
  expect("projection" in r.llm && r.llm.projection.method).toMatch(/month-to-date/);
  expect("mostExpensive" in r.llm && r.llm.mostExpensive[0]).toMatchObject({ model: "claude-sonnet-4", costUsd: 0.02 });

  expect(r.users.activeInRange).toBe(8);
  expect(r.users.featureUsage).toEqual([
    { name: "chat.sent", count: 40, users: 8 },
    { name: "export", count: 5, users: 1 },
  ]);
  // u0: chat i%7==0 → 28, users i%5==0 → 20, tail → 10: 58 requests.
  expect(r.users.topByRequests[0]).toEqual({ userId: "u0", requests: 58 });
  expect("topBySpend" in r.users && r.users.topBySpend.length).toBe(4);

  expect(r.errors.groups.map((g) => [g.id, g.count, g.usersAffected])).toEqual([
    [groups.g1, 15, 5],
    [groups.g2, 5, 1],
  ]);
  // Without users and sparklines (the org home's lists): the same groups and counts, nothing else computed.
  expect(r.summary.groups.map((g) => [g.id, g.count, g.usersAffected, g.sparkline.length])).toEqual([
    [groups.g1, 15, null, 0],
    [groups.g2, 5, null, 0],
  ]);
  expect(r.errors.groups[0]!.sparkline.reduce((a, p) => a + p.value, 0)).toBe(15);
  // Sparklines have a point on every step of the range, the same steps as the overview's charts.
  expect(r.errors.groups[1]!.sparkline.map((p) => p.t.toISOString())).toEqual(r.overview.requests.sparkline.map((p) => p.t.toISOString()));
  expect(r.errorsV2.groups.map((g) => [g.id, g.count, g.usersAffected])).toEqual([[groups.g1, 5, 5]]);
  expect(r.staging.groups.map((g) => g.id)).toEqual([groups.g2]);
  expect(r.unresolved.groups.map((g) => g.id)).toEqual([groups.g1]);
  expect(r.group.releases).toEqual([
    { release: "v1", count: 10 },
    { release: "v2", count: 5 },
  ]);
  expect(r.group.tags).toEqual([
    { key: "browser", value: "firefox", count: 8 },
    { key: "browser", value: "chrome", count: 7 },
  ]);
  expect(r.group.recentEvents).toHaveLength(15);
  expect(r.group.environments.reduce((a, e) => a + e.count, 0)).toBe(15);
  expect(r.group.latestEvent).toMatchObject({ id: r.group.recentEvents[0]!.id });
  expect(r.group.latestEvent).toHaveProperty("exception");
  expect(r.group.recentEvents[0]).not.toHaveProperty("exception");
  expect(r.group.occurrences.reduce((a, p) => a + p.value, 0)).toBe(15);
}

async function checkPercentiles(r: Awaited<ReturnType<typeof everything>>) {
  within1pct(r.overview.latency.value, await exact(`SELECT duration_ms AS v FROM requests WHERE project_id = $1`, [projectId]));
  const chat = r.performance.endpoints.find((e) => e.route === "/api/chat")!;
  within1pct(chat, await exact(`SELECT duration_ms AS v FROM requests WHERE project_id = $1 AND route = '/api/chat'`, [projectId]));
  const gpt = r.llm.latencyByModel.find((m) => m.model === "gpt-4o")!;
  within1pct(gpt.latencyMs, await exact(`SELECT latency_ms AS v FROM llm_calls WHERE project_id = $1 AND model = 'gpt-4o'`, [projectId]));
  within1pct(gpt.ttftMs, await exact(`SELECT ttft_ms AS v FROM llm_calls WHERE project_id = $1 AND model = 'gpt-4o'`, [projectId]));
}

describe("metric functions: hand-computed answers, identical before and after the rollup job", () => {
  let before: Awaited<ReturnType<typeof everything>>;

  beforeAll(async () => {
    const org = await makeOrg(await makeUser("metrics"));
    projectId = (await makeProject(org.id)).id;
    groups = await seedDataset(projectId);
    before = await everything();
  });

  it("answers from raw rows before any job ran", async () => {
    checkAnswers(before);
    await checkPercentiles(before);
  });

  it("answers the same after runRollup, and a second run changes nothing", async () => {
    const first = await runRollup(jobPool, { now: ROLLUP_NOW, projectId });
    expect(first.projects[0]).toMatchObject({ skipped: false });
    expect(first.projects[0]!.folded.minute).toBeGreaterThan(0);
    const {
      rows: [counts],
    } = await pool.query(
      `SELECT (SELECT count(*) FROM rollup_requests WHERE project_id = $1) AS r, (SELECT sum(count) FROM rollup_requests WHERE project_id = $1 AND grain = 'minute') AS n`,
      [projectId],
    );
    expect(Number(counts.n)).toBe(300); // every closed request, once; the 10 open-tail ones are not folded
    // The job's deletes on rollup_users name every kind (USERS.leadingKey); a kind missing there would never be replaced.
    const { rows: kinds } = await pool.query<{ kind: string }>(`SELECT DISTINCT kind FROM rollup_users WHERE project_id = $1 ORDER BY 1`, [projectId]);
    expect(kinds.map((k) => k.kind)).toEqual([...USERS.leadingKey!.values].sort());
    const after = await everything();
    expect(after).toEqual(before);
    await runRollup(jobPool, { now: ROLLUP_NOW, projectId });
    const {
      rows: [again],
    } = await pool.query(`SELECT count(*) AS r FROM rollup_requests WHERE project_id = $1`, [projectId]);
    expect(again.r).toBe(counts.r);
    expect(await everything()).toEqual(before);
  });

  it("concurrent runs are safe and fold every later closed bucket once", async () => {
    const later = new Date(ROLLUP_NOW.getTime() + 3_600_000);
    await Promise.all([
      runRollup(jobPool, { now: later, projectId }),
      runRollup(jobPool, { now: later, projectId }),
      runRollup(jobPool, { now: later, projectId }),
    ]);
    const {
      rows: [n],
    } = await pool.query(`SELECT sum(count) AS n FROM rollup_requests WHERE project_id = $1 AND grain = 'minute'`, [projectId]);
    expect(Number(n.n)).toBe(310);
    const now = await everything();
    expect(now.overview.requests.value).toBe(310);
    expect(now.performance.endpoints).toEqual(before.performance.endpoints);
  });

  it("starts ranges charted in hours on a step boundary in the viewer's zone, with identical answers from rollups", async () => {
    const range = { ...input(), from: new Date("2026-11-19T10:37:00Z"), to: new Date("2026-11-20T10:37:00Z") };
    expect((await getOverview(pool, range)).range.from).toEqual(new Date("2026-11-19T10:00:00Z"));
    // Kolkata is UTC+05:30: its hours start at :30 UTC, so UTC hour buckets cannot serve its chart steps.
    const kolkata = { ...range, timeZone: "Asia/Kolkata" };
    const viaRollups = await getOverview(pool, kolkata);
    expect(viaRollups.range.from).toEqual(new Date("2026-11-19T10:30:00Z"));
    expect(viaRollups).toEqual(await getOverview(pool, { ...kolkata, rollups: false }));
    expect(viaRollups.requests.sparkline.find((p) => p.t.toISOString() === "2026-11-20T10:30:00.000Z")?.value).toBeGreaterThan(0);
  });

  it("re-folds a closed bucket when late data arrives for it", async () => {
    await insertRows("requests", [
      {
        project_id: projectId,
        time: at(60_000 + 5),
        method: "GET",
        route: "/api/users",
        path: "/api/users/late",
        status: 503,
        duration_ms: 42,
        user_id: "late-user",
      },
    ]);
    await runRollup(jobPool, { now: new Date(ROLLUP_NOW.getTime() + 3_600_000), projectId });
    const viaRollups = await getPerformance(pool, input());
    const raw = await getPerformance(pool, { ...input(), rollups: false });
    expect(viaRollups.endpoints.find((e) => e.route === "/api/users")).toMatchObject({ count: 101, errorRate: 1 / 101 });
    expect(viaRollups).toEqual(raw);
  });

  it("serves the last 24 hours from a sliding 24h window, re-folded when late data arrives, with answers identical to raw rows", async () => {
    const nextDay = new Date("2026-11-21T10:20:00Z");
    await runRollup(jobPool, { now: nextDay, projectId });
    const { rows: windows } = await pool.query<{ start: Date; n: number }>(
      `SELECT bucket_start AS start, sum(count)::int AS n FROM rollup_request_totals WHERE project_id = $1 AND grain = '24h' GROUP BY 1 ORDER BY 1`,
      [projectId],
    );
    // Only the newest windows are kept (RETENTION_MS["24h"]); the one starting at 10:00 holds every request but none before.
    expect(windows.map((w) => [w.start.toISOString(), w.n])).toEqual([
      ["2026-11-20T09:00:00.000Z", 311],
      ["2026-11-20T10:00:00.000Z", 311],
    ]);
    const last24h = { ...input(), from: new Date("2026-11-20T10:20:00Z"), to: nextDay };
    const reads = [getOverview, getPerformance, getLlmUsage, getUserActivity, listErrorGroups] as const;
    for (const read of reads) expect(await read(pool, last24h)).toEqual(await read(pool, { ...last24h, rollups: false }));
    expect((await getPerformance(pool, last24h)).endpoints.find((e) => e.route === "/api/chat")?.count).toBe(210);

    // A late LLM call for 11:59 yesterday dirties every kept window containing it.
    await insertRows("llm_calls", [
      {
        project_id: projectId,
        time: new Date("2026-11-20T11:59:00Z"),
        provider: "openai",
        model: "gpt-4o",
        operation: "chat",
        input_tokens: 10,
        output_tokens: 1,
        latency_ms: 700,
        status: "ok",
        cost_usd: "0.5",
        cost_source: "table",
        user_id: "late-llm-user",
        environment: "production",
      },
    ]);
    await runRollup(jobPool, { now: new Date(nextDay.getTime() + 60_000), projectId });
    const {
      rows: [llm],
    } = await pool.query(
      `SELECT sum(cost_usd)::float8 AS cost FROM rollup_llm WHERE project_id = $1 AND grain = '24h' AND bucket_start = '2026-11-20T10:00:00Z'`,
      [projectId],
    );
    expect(llm.cost).toBeCloseTo(0.7 + 0.5, 10);
    for (const read of reads) expect(await read(pool, last24h)).toEqual(await read(pool, { ...last24h, rollups: false }));
  });

  it("serves the last 30 days from a 29d window in any zone and merges six-hour, day and week buckets, with answers identical to raw rows", async () => {
    const nextDay = new Date("2026-11-21T10:21:00Z");
    await runRollup(jobPool, { now: nextDay, projectId });
    const { rows: windows } = await pool.query<{ start: Date; n: number }>(
      `SELECT bucket_start AS start, sum(count)::int AS n FROM rollup_request_totals WHERE project_id = $1 AND grain = '29d' GROUP BY 1 ORDER BY 1`,
      [projectId],
    );
    // Three days of window starts are kept; only the newest (10-23 to 11-21) holds the requests of 11-20.
    expect(windows.map((w) => [w.start.toISOString(), w.n])).toEqual([["2026-10-23T00:00:00.000Z", 311]]);
    const reads = [getOverview, getPerformance, getLlmUsage, getUserActivity, listErrorGroups] as const;
    // Los Angeles: the range starts at 10-22 07:00 UTC, so it reads the window from 10-23.
    for (const timeZone of ["UTC", "America/Los_Angeles"]) {
      const last30d = { ...input(), from: new Date(nextDay.getTime() - 30 * 86_400_000), to: nextDay, timeZone };
      for (const read of reads) expect(await read(pool, last30d), `${read.name} ${timeZone}`).toEqual(await read(pool, { ...last30d, rollups: false }));
    }
    // Six-hour, day and week buckets are merged from hour and day rows: a week charted in six-hour steps
    // (the week of 11-14, whose bucket the job just merged) reads them and answers as raw rows do.
    const {
      rows: [week],
    } = await pool.query(
      `SELECT sum(count)::int AS n FROM rollup_request_totals WHERE project_id = $1 AND grain = 'week' AND bucket_start = '2026-11-14T00:00:00Z'`,
      [projectId],
    );
    expect(week.n).toBe(311);
    const lastWeek = { ...input(), from: new Date("2026-11-14T00:00:00Z"), to: nextDay };
    for (const read of reads) expect(await read(pool, lastWeek), read.name).toEqual(await read(pool, { ...lastWeek, rollups: false }));
    // The totals come from the window: without the hour, six-hour and day rows of 11-20 they stay the same.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`DELETE FROM rollup_request_totals WHERE project_id = $1 AND grain IN ('hour', '6h', 'day')`, [projectId]);
      const last30d = { ...input(), from: new Date(nextDay.getTime() - 30 * 86_400_000), to: nextDay, timeZone: "America/Los_Angeles" };
      expect((await getOverview(client, last30d)).requests.value).toBe(311);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("prunes minute buckets past their retention; reads take those edges from raw rows", async () => {
    const fourDaysLater = new Date(ROLLUP_NOW.getTime() + 4 * 86_400_000);
    await runRollup(jobPool, { now: fourDaysLater, projectId });
    for (const table of ["rollup_requests", "rollup_request_totals", "rollup_llm", "rollup_errors"]) {
      const {
        rows: [m],
      } = await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1 AND grain = 'minute'`, [projectId]);
      expect(m.n, table).toBe(0);
    }
    const {
      rows: [h],
    } = await pool.query(`SELECT sum(count)::int AS n FROM rollup_requests WHERE project_id = $1 AND grain = 'hour'`, [projectId]);
    expect(h.n).toBe(311);
    // Steps of 5 minutes: edges at 10:07:30 and 12:29 that only minute buckets or raw rows can serve.
    const unaligned = { ...input(), from: new Date("2026-11-20T10:07:30Z"), to: new Date("2026-11-20T12:29:00Z") };
    expect(await getPerformance(pool, unaligned)).toEqual(await getPerformance(pool, { ...unaligned, rollups: false }));
    expect(await getLlmUsage(pool, unaligned)).toEqual(await getLlmUsage(pool, { ...unaligned, rollups: false }));
    expect(await getOverview(pool, unaligned)).toEqual(await getOverview(pool, { ...unaligned, rollups: false }));
    // 23 days: whole week buckets (weeks start on Saturday 2026-11-14) in the middle, days and hours around them.
    const long = { ...input(), from: new Date("2026-11-01T00:00:00Z"), to: fourDaysLater };
    const {
      rows: [w],
    } = await pool.query(`SELECT sum(count)::int AS n FROM rollup_request_totals WHERE project_id = $1 AND grain = 'week'`, [projectId]);
    expect(w.n).toBe(311);
    for (const read of [getOverview, getPerformance, getLlmUsage, getUserActivity, listErrorGroups]) {
      expect(await read(pool, long)).toEqual(await read(pool, { ...long, rollups: false }));
    }
  });
});

describe("fractional durations", () => {
  it("give the same average latency per endpoint from merged rollups as from raw rows, to the last digit", async () => {
    const owner = await makeUser("fractions");
    const org = await makeOrg(owner);
    const { id } = await makeProject(org.id);
    // 600 requests over two days with durations like 12.345678 ms: as float8, sums over hours, days and
    // windows associate differently from one sum over raw rows.
    const start = Date.parse("2026-11-18T00:00:00Z");
    await insertRows(
      "requests",
      Array.from({ length: 600 }, (_, i) => ({
        project_id: id,
        time: new Date(start + i * 288_000),
        method: "GET",
        route: `/r${i % 3}`,
        path: `/r${i % 3}`,
        status: 200,
        duration_ms: ((i * 7919) % 100_000) / 7.3 + 0.000_1,
      })),
    );
    await runRollup(jobPool, { now: new Date("2026-11-21T06:30:00Z"), projectId: id });
    for (const days of [4, 30]) {
      const range = {
        projectId: id,
        from: new Date(Date.parse("2026-11-21T06:30:00Z") - days * 86_400_000),
        to: new Date("2026-11-21T06:30:00Z"),
        timeZone: "UTC",
        filters: {},
      };
      const viaRollups = await getPerformance(pool, range);
      expect(viaRollups.endpoints.map((e) => e.count)).toEqual([200, 200, 200]);
      expect(viaRollups.endpoints).toEqual((await getPerformance(pool, { ...range, rollups: false })).endpoints);
    }
  });
});
