import { beforeAll, describe, expect, it } from "vitest";
import { jobPool, pool } from "@/server/db/pool";
import { getLlmOverTime, getLlmUsage, OTHER_KEY, TOP_USERS_OVER_TIME, type LlmBreakdown } from "@/server/dashboards/llm";
import { runRollup } from "@/server/rollup/job";
import { insertRows } from "./metrics-fixtures";
import { makeOrg, makeProject, makeUser } from "./tenancy-fixtures";

/**
 * LLM page figures with answers written out by hand: exact cost per user over more users than the
 * top-users list holds, error rate per model, the over-time breakdowns, and the month-end projection
 * from the method the page states. Each is checked from raw rows and again after the rollup job.
 */

const T0 = Date.parse("2026-11-20T10:00:00Z");
const RANGE = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-20T23:00:00Z"), timeZone: "UTC", filters: {} };
const ROLLUP_NOW = new Date("2026-11-20T12:30:10Z");
const uid = (i: number) => `u${String(i).padStart(2, "0")}`;
const usd = (thousandths: number) => thousandths / 1000;

let projectId: string;

/**
 * 60 users u00…u59, one call each at 10:01…11:00: user i pays (i + 1) thousandths of a dollar, on
 * model-a (openai) when i is even and model-b (anthropic) when odd; every 10th user's call failed
 * (all on model-a); users 50…59 are in staging. Plus 5 calls without a user on model-c (openai),
 * $1 each, 2 of them failed. Another project holds calls by the same user ids that must not count.
 */
async function seed(project: string, other: string) {
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 60; i++) {
    rows.push({
      project_id: project,
      time: new Date(T0 + (i + 1) * 60_000),
      provider: i % 2 ? "anthropic" : "openai",
      model: i % 2 ? "model-b" : "model-a",
      operation: "chat",
      input_tokens: 100,
      output_tokens: 10,
      latency_ms: 100 + i,
      status: i % 10 === 0 ? "error" : "ok",
      cost_usd: String(usd(i + 1)),
      cost_source: "table",
      user_id: uid(i),
      feature: i % 3 === 0 ? "chat" : "search",
      environment: i >= 50 ? "staging" : "production",
    });
  }
  for (let k = 0; k < 5; k++) {
    rows.push({
      project_id: project,
      time: new Date(T0 + 30 * 60_000 + k * 1000),
      provider: "openai",
      model: "model-c",
      operation: "chat",
      input_tokens: 100,
      output_tokens: 10,
      latency_ms: 900,
      status: k < 2 ? "error" : "ok",
      cost_usd: "1",
      cost_source: "client",
      environment: "production",
    });
  }
  for (const user of ["u00", "u59", "zz-elsewhere"]) {
    rows.push({
      project_id: other,
      time: new Date(T0 + 5 * 60_000),
      provider: "openai",
      model: "model-a",
      operation: "chat",
      input_tokens: 1,
      output_tokens: 1,
      status: "ok",
      cost_usd: "5",
      cost_source: "table",
      user_id: user,
      environment: "production",
    });
  }
  await insertRows("llm_calls", rows);
}

const input = (filters: Record<string, string> = {}) => ({ ...RANGE, filters, projectId });
const sumOf = (points: Array<{ key: string; calls: number; costUsd?: number; tokens?: number }>, key: string) =>
  points
    .filter((p) => p.key === key)
    .reduce((a, p) => ({ calls: a.calls + p.calls, cost: a.cost + (p.costUsd ?? 0), tokens: a.tokens + (p.tokens ?? 0) }), { calls: 0, cost: 0, tokens: 0 });

async function everything() {
  const overTime = async (by: LlmBreakdown, includeSpend = true) => getLlmOverTime(pool, { ...input(), by, includeSpend });
  return {
    all: await getLlmUsage(pool, input()),
    modelA: await getLlmUsage(pool, input({ model: "model-a" })),
    anthropic: await getLlmUsage(pool, input({ provider: "anthropic" })),
    production: await getLlmUsage(pool, input({ environment: "production" })),
    noSpend: await getLlmUsage(pool, { ...input(), includeSpend: false }),
    byProvider: await overTime("provider"),
    byFeature: await overTime("feature"),
    byModel: await overTime("model"),
    byUser: await overTime("user"),
    byUserNoSpend: await overTime("user", false),
    byUserAnthropic: await getLlmOverTime(pool, { ...input({ provider: "anthropic" }), by: "user" }),
  };
}

function checkAnswers(r: Awaited<ReturnType<typeof everything>>) {
  // Cost per user: $1.830 (1 + 2 + … + 60 thousandths) over 60 users; the $5 of calls without a user is not theirs.
  expect(r.all.usersWithCalls).toBe(60);
  expect(r.all.callsWithUser).toBe(60);
  expect("costUsd" in r.all.total && r.all.total.costUsd).toBeCloseTo(6.83, 10);
  expect("userCostUsd" in r.all && r.all.userCostUsd).toBeCloseTo(1.83, 10);
  expect("costPerUserUsd" in r.all && r.all.costPerUserUsd).toBeCloseTo(0.0305, 12); // the top 50 alone would give 0.0355
  expect(r.all.byUser).toHaveLength(50);
  expect(r.all.byUser[0]).toMatchObject({ userId: "u59", calls: 1 });
  // model-a: the even users, 1 + 3 + … + 59 = 900 thousandths over 30 users (raw rows: the users rollup has no model).
  expect(r.modelA.usersWithCalls).toBe(30);
  expect("costPerUserUsd" in r.modelA && r.modelA.costPerUserUsd).toBeCloseTo(0.03, 12);
  expect(r.modelA.byUser.every((u) => Number(u.userId.slice(1)) % 2 === 0)).toBe(true);
  // anthropic: the odd users, 2 + 4 + … + 60 = 930 thousandths over 30 users.
  expect(r.anthropic.usersWithCalls).toBe(30);
  expect("costPerUserUsd" in r.anthropic && r.anthropic.costPerUserUsd).toBeCloseTo(0.031, 12);
  // production: users 0…49, 1 + … + 50 = 1275 thousandths over 50 users.
  expect(r.production.usersWithCalls).toBe(50);
  expect("costPerUserUsd" in r.production && r.production.costPerUserUsd).toBeCloseTo(0.0255, 12);
  expect(r.noSpend).not.toHaveProperty("costPerUserUsd");
  expect(r.noSpend).not.toHaveProperty("userCostUsd");
  expect(r.noSpend.usersWithCalls).toBe(60);

  // Error rate per model: model-a 6 of 30 (users 0, 10, …, 50), model-b none of 30, model-c 2 of 5.
  expect(Object.fromEntries(r.all.byModel.map((m) => [m.model, [m.calls, m.errorRate]]))).toEqual({
    "model-a": [30, 0.2],
    "model-b": [30, 0],
    "model-c": [5, 0.4],
  });
  expect(r.all.total.errorRate).toBeCloseTo(8 / 65, 12);

  // Over time by provider: openai = model-a + model-c (hour 10 only), anthropic = model-b (29 calls at 10:xx, u59 at 11:00).
  expect(r.byProvider).toMatchObject({ by: "provider", tokens: true });
  const at = (p: { t: Date }) => p.t.toISOString().slice(11, 16);
  expect(r.byProvider.points.map((p) => [at(p), p.key, p.calls, p.tokens])).toEqual([
    ["10:00", "anthropic", 29, 29 * 110],
    ["10:00", "openai", 35, 35 * 110],
    ["11:00", "anthropic", 1, 110],
  ]);
  expect(sumOf(r.byProvider.points, "openai").cost).toBeCloseTo(5.9, 10);
  expect(sumOf(r.byProvider.points, "anthropic").cost).toBeCloseTo(0.93, 10);
  expect([sumOf(r.byFeature.points, "chat").calls, sumOf(r.byFeature.points, "search").calls, sumOf(r.byFeature.points, "").calls]).toEqual([20, 40, 5]);
  expect(sumOf(r.byModel.points, "model-c")).toEqual({ calls: 5, cost: 5, tokens: 550 });

  // Over time by user: the 8 costliest users (u52…u59) and "other" for the other 52 (1830 − 452 thousandths)
  // plus the 5 calls without a user ($1 each), so the stacks add up to every call; no tokens.
  expect(r.byUser).toMatchObject({ by: "user", tokens: false });
  expect(TOP_USERS_OVER_TIME).toBe(8);
  const keys = [...new Set(r.byUser.points.map((p) => p.key))].sort();
  expect(keys).toEqual([OTHER_KEY, "u52", "u53", "u54", "u55", "u56", "u57", "u58", "u59"]);
  expect(r.byUser.points.every((p) => !("tokens" in p))).toBe(true);
  expect(r.byUser.points.find((p) => p.key === "u59")).toMatchObject({ calls: 1, costUsd: 0.06 });
  expect(at(r.byUser.points.find((p) => p.key === "u59")!)).toBe("11:00");
  const other = r.byUser.points.filter((p) => p.key === OTHER_KEY);
  expect(other.map((p) => [at(p), p.calls])).toEqual([["10:00", 57]]);
  expect(other[0]!.costUsd).toBeCloseTo(1.378 + 5, 10);
  // Without spend the top users are the most active (ties by id) and no point carries a cost.
  expect([...new Set(r.byUserNoSpend.points.map((p) => p.key))].sort()).toEqual([OTHER_KEY, ...Array.from({ length: 8 }, (_, i) => uid(i))]);
  expect(r.byUserNoSpend.points.every((p) => !("costUsd" in p))).toBe(true);
  // A provider filter applies to per-user series too (raw rows): only odd users, u45…u59 on top.
  expect([...new Set(r.byUserAnthropic.points.map((p) => p.key))].sort()).toEqual([OTHER_KEY, "u45", "u47", "u49", "u51", "u53", "u55", "u57", "u59"]);
  expect(r.byUserAnthropic.points.reduce((a, p) => a + p.calls, 0)).toBe(30);
}

describe("LLM metrics: hand-computed answers, identical before and after the rollup job", () => {
  let before: Awaited<ReturnType<typeof everything>>;

  beforeAll(async () => {
    const org = await makeOrg(await makeUser("llm-metrics"));
    projectId = (await makeProject(org.id)).id;
    await seed(projectId, (await makeProject(org.id)).id);
    before = await everything();
  });

  it("answers from raw rows before any job ran", () => {
    checkAnswers(before);
  });

  it("answers the same after runRollup", async () => {
    const run = await runRollup(jobPool, { now: ROLLUP_NOW, projectId });
    expect(run.projects[0]!.folded.hour).toBeGreaterThan(0);
    const after = await everything();
    checkAnswers(after);
    expect(after).toEqual(before);
  });
});

describe("month-end projection: month-to-date + average daily spend of the last 7 complete days × days left", () => {
  let project: string;
  /** Calls at 06:00 UTC on 1–2 Nov ($5 each), 3–9 Nov ($2 each), 10 Nov ($3); also 31 Oct ($100, last month) and 10 Nov 13:00 ($50, after "now"). */
  beforeAll(async () => {
    const org = await makeOrg(await makeUser("projection"));
    project = (await makeProject(org.id)).id;
    const call = (iso: string, cost: number) => ({
      project_id: project,
      time: new Date(iso),
      provider: "openai",
      model: "gpt-4o",
      operation: "chat",
      status: "ok",
      cost_usd: String(cost),
      cost_source: "table",
    });
    await insertRows("llm_calls", [
      call("2026-10-31T12:00:00Z", 100),
      call("2026-11-01T06:00:00Z", 5),
      call("2026-11-02T06:00:00Z", 5),
      ...[3, 4, 5, 6, 7, 8, 9].map((d) => call(`2026-11-0${d}T06:00:00Z`, 2)),
      call("2026-11-10T06:00:00Z", 3),
      call("2026-11-10T13:00:00Z", 50),
    ]);
  });

  const projectionAt = async (now: string) => {
    const r = await getLlmUsage(pool, { projectId: project, from: new Date(Date.parse(now) - 86_400_000), to: new Date(now), timeZone: "UTC", filters: {} });
    if (!("projection" in r)) throw new Error("spend expected");
    return r.projection;
  };

  async function check() {
    // 10 Nov 12:00: MTD 5 + 5 + 7 × 2 + 3 = $27; last 7 complete days (3–9 Nov) $14 → $2/day; 20.5 days left → $68.
    const mid = await projectionAt("2026-11-10T12:00:00Z");
    expect(mid.monthToDateUsd).toBeCloseTo(27, 10);
    expect(mid.dailyRunRateUsd).toBeCloseTo(2, 10);
    expect(mid.daysLeft).toBeCloseTo(20.5, 10);
    expect(mid.projectedMonthEndUsd).toBeCloseTo(68, 10);
    expect(mid.method).toBe("month-to-date spend + average daily spend of the last 7 complete day(s) × 20.50 days left in the month (UTC)");
    // 3 Nov 12:00: only 1–2 Nov are complete days of this month: $10 / 2 = $5/day; MTD $10 + $2; 27.5 days left → $149.50.
    const early = await projectionAt("2026-11-03T12:00:00Z");
    expect([early.monthToDateUsd, early.dailyRunRateUsd, early.daysLeft]).toEqual([12, 5, 27.5]);
    expect(early.projectedMonthEndUsd).toBeCloseTo(149.5, 10);
    // 1 Nov 12:00, no complete day yet: $5 in half a day → $10/day × 29.5 days left + $5 = $300.
    const first = await projectionAt("2026-11-01T12:00:00Z");
    expect([first.monthToDateUsd, first.dailyRunRateUsd, first.daysLeft, first.projectedMonthEndUsd]).toEqual([5, 10, 29.5, 300]);
    expect(first.method).toMatch(/^month-to-date spend extrapolated/);
  }

  it("computes the stated figure from raw rows", async () => {
    await check();
  });

  it("counts whole local days in the viewer's zone across a daylight-saving change", async () => {
    // Berlin leaves summer time on 25 Oct 2026. At 28 Oct 13:00 CET the window is 21–27 Oct local,
    // from 20 Oct 22:00 UTC (not 23:00, seven 24-hour days back): the $7 call at 22:30 UTC is in it, the $4 one before is not.
    const org = await makeOrg(await makeUser("projection-dst"));
    const berlin = (await makeProject(org.id)).id;
    const call = (iso: string, cost: number) => ({
      project_id: berlin,
      time: new Date(iso),
      provider: "openai",
      model: "gpt-4o",
      operation: "chat",
      status: "ok",
      cost_usd: String(cost),
      cost_source: "table",
    });
    await insertRows("llm_calls", [call("2026-10-20T21:30:00Z", 4), call("2026-10-20T22:30:00Z", 7), call("2026-10-26T12:00:00Z", 14)]);
    const now = new Date("2026-10-28T12:00:00Z");
    const r = await getLlmUsage(pool, { projectId: berlin, from: new Date(now.getTime() - 86_400_000), to: now, timeZone: "Europe/Berlin", filters: {} });
    if (!("projection" in r)) throw new Error("spend expected");
    // MTD $25; $21 over 7 days → $3/day; 31 Oct 23:00 UTC (1 Nov CET) is 3 days 11 hours away → $25 + $3 × 83/24 = $35.375.
    expect(r.projection).toMatchObject({ monthToDateUsd: 25, dailyRunRateUsd: 3 });
    expect(r.projection.daysLeft).toBeCloseTo(83 / 24, 12);
    expect(r.projection.projectedMonthEndUsd).toBeCloseTo(35.375, 10);
    expect(r.projection.method).toContain("last 7 complete day(s)");
  });

  it("computes the same figure after runRollup", async () => {
    await runRollup(jobPool, { now: new Date("2026-11-10T12:00:00Z"), projectId: project });
    const {
      rows: [days],
    } = await pool.query(`SELECT count(*)::int AS n FROM rollup_llm WHERE project_id = $1 AND grain = 'day'`, [project]);
    expect(days.n).toBeGreaterThan(0);
    await check();
  });
});
