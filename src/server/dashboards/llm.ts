/** LLM: tokens and cost over time and by model/provider/feature/user, latency and TTFT, errors, projection. */
import type { MetricInput } from "./input";
import { calendar, distinctCount, grouped, groupedSeries, num, readScope, series, sketches, totals, type ReadScope } from "./read";
import { percentiles } from "../rollup/sketch";
import type { DimFilters } from "./sources";
import type { Db } from "@/server/db/sql";
import { LLM, USERS, type RollupSpec } from "../rollup/specs";

const SUMS = `coalesce(sum(calls), 0) AS calls, coalesce(sum(error_count), 0) AS errors,
  coalesce(sum(input_tokens), 0) AS input, coalesce(sum(cached_input_tokens), 0) AS cached, coalesce(sum(cache_write_tokens), 0) AS cache_write,
  coalesce(sum(output_tokens), 0) AS output, coalesce(sum(reasoning_tokens), 0) AS reasoning, coalesce(sum(cost_usd), 0) AS cost`;
type SumRow = { calls: string; errors: string; input: string; cached: string; cache_write: string; output: string; reasoning: string; cost: string };

function shape(r: SumRow, spend: boolean) {
  const calls = num(r.calls);
  const base = {
    calls,
    errorRate: calls ? num(r.errors) / calls : null,
    tokens: { input: num(r.input), cachedInput: num(r.cached), cacheWrite: num(r.cache_write), output: num(r.output), reasoning: num(r.reasoning) },
  };
  return spend ? { ...base, costUsd: num(r.cost), costPerCallUsd: calls ? num(r.cost) / calls : null } : base;
}

const BY = { model: ["model", "provider"], provider: ["provider"], feature: ["feature"] } as const;

/** What the cost and tokens over-time charts can be broken down by. */
export const LLM_BREAKDOWNS = ["model", "provider", "feature", "user"] as const;
export type LlmBreakdown = (typeof LLM_BREAKDOWNS)[number];

/**
 * LLM calls per user read straight from raw rows (no grains: never a rollup table). The users
 * rollup keeps only the environment of LLM calls, so per-user figures under a model, provider or
 * feature filter come from here; the measures are named as in USERS so the same selects serve both.
 */
const LLM_USERS_RAW: RollupSpec = {
  table: "llm_calls",
  grains: [],
  dims: ["model", "provider", "feature", "environment", "user_id"],
  measures: { count: { raw: "count(*)", merge: "sum" }, cost_usd: { raw: "coalesce(sum(cost_usd), 0)", merge: "sum" } },
  sketches: {},
  raw: (where) => `SELECT time, model, coalesce(provider, '') AS provider, coalesce(feature, '') AS feature,
    coalesce(environment, '') AS environment, user_id, cost_usd FROM llm_calls WHERE user_id IS NOT NULL AND ${where("time")}`,
};

/**
 * The source of per-user LLM figures for this scope: the users rollup (kind 'llm') when only the
 * environment is filtered, raw LLM calls when a filter the rollup cannot apply is set. Filters that
 * do not describe LLM calls (route, release…) are dropped, as the LLM rollup ignores them too.
 */
function userSource(s: ReadScope): { scope: ReadScope; spec: RollupSpec; extra: DimFilters } {
  const f = s.filters;
  const filters: DimFilters = { environment: f.environment, model: f.model, provider: f.provider, feature: f.feature };
  const raw = f.model !== undefined || f.provider !== undefined || f.feature !== undefined;
  return { scope: { ...s, filters }, spec: raw ? LLM_USERS_RAW : USERS, extra: raw ? {} : { kind: "llm" } };
}

const USER_SUMS = "coalesce(sum(count), 0) AS calls, coalesce(sum(cost_usd), 0) AS cost";
type UserSumRow = { calls: string; cost: string };

export async function getLlmUsage(db: Db, input: MetricInput & { includeSpend?: boolean }) {
  const spend = input.includeSpend !== false;
  const s = await readScope(db, input);
  type Breakdown = ReturnType<typeof shape> & Record<"model" | "provider" | "feature", string | null>;
  const breakdown = async (cols: readonly string[]): Promise<Breakdown[]> => {
    const rows = await grouped<SumRow & Record<string, string>>(s, LLM, [...cols], SUMS, { orderBy: spend ? "sum(cost_usd) DESC" : "sum(calls) DESC" });
    return rows.map((r) => ({ ...Object.fromEntries(cols.map((c) => [c, r[c] || null])), ...shape(r, spend) }) as Breakdown);
  };
  const [total, overTime, perModel, byModel, byProvider, byFeature, latency, ttft, users, perUser] = await Promise.all([
    totals<SumRow>(s, LLM, SUMS),
    series<SumRow>(s, LLM, SUMS),
    groupedSeries<SumRow>(s, LLM, "model", SUMS),
    breakdown(BY.model),
    breakdown(BY.provider),
    breakdown(BY.feature),
    sketches(s, LLM, "latency", ["model"]),
    sketches(s, LLM, "ttft", ["model"]),
    topUsers(s, spend, 50),
    userTotals(s),
  ]);
  const result = {
    range: { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone },
    total: shape(total, spend),
    overTime: overTime.map((r) => ({ t: r.t, ...shape(r, spend) })),
    /** One row per step and model that had calls (steps without calls are absent). */
    overTimeByModel: perModel.map((r) => ({ t: r.t, model: r.k, ...shape(r, spend) })),
    byModel,
    byProvider,
    byFeature,
    byUser: users.map((u) => ({
      userId: u.user_id,
      calls: num(u.calls),
      ...(spend ? { costUsd: num(u.cost), costPerCallUsd: num(u.cost) / num(u.calls) } : {}),
    })),
    /** Distinct users with LLM calls in the range (exact), and how many calls carried a user id. */
    usersWithCalls: perUser.users,
    callsWithUser: perUser.calls,
    latencyByModel: byModel.map((m) => ({
      model: m.model,
      latencyMs: percentiles(latency.get(m.model ?? "") ?? { bins: [], counts: [] }),
      ttftMs: percentiles(ttft.get(m.model ?? "") ?? { bins: [], counts: [] }),
    })),
  };
  if (!spend) return result;
  const [projection, mostExpensive] = await Promise.all([monthEndProjection(s), mostExpensiveCalls(db, { ...input, from: s.from }, 20)]);
  return {
    ...result,
    /** Cost of the calls that carry a user id, and that cost divided by the users who made them. */
    userCostUsd: perUser.cost,
    costPerUserUsd: perUser.users ? perUser.cost / perUser.users : null,
    projection,
    mostExpensive,
  };
}

/** Users with the most LLM cost (or, without spend, the most calls: the order must not reveal spend). */
async function topUsers(s: ReadScope, spend: boolean, limit: number) {
  const u = userSource(s);
  return grouped<UserSumRow & { user_id: string }>(u.scope, u.spec, ["user_id"], USER_SUMS, {
    orderBy: spend ? "sum(cost_usd) DESC, user_id" : "sum(count) DESC, user_id",
    limit,
    extra: u.extra,
  });
}

/** Exact per-user totals: distinct users with LLM calls, their calls and their cost. */
async function userTotals(s: ReadScope) {
  const u = userSource(s);
  const [sums, users] = await Promise.all([totals<UserSumRow>(u.scope, u.spec, USER_SUMS, u.extra), distinctCount(u.scope, u.spec, "user_id", u.extra)]);
  return { users: users.get("") ?? 0, calls: num(sums.calls), cost: num(sums.cost) };
}

/** Users shown with their own series in the per-user charts; the rest are summed as OTHER_KEY. */
export const TOP_USERS_OVER_TIME = 8;
/** The key of the series that sums every user outside the top ones. */
export const OTHER_KEY = "other";

/**
 * Cost, tokens and calls per step broken down by model, provider, feature or user: one point per
 * step and key that had calls. Users come from the users rollup, which keeps calls and cost but not
 * tokens: the top users by cost (by calls without spend) plus one OTHER_KEY point for every other
 * call, including calls without a user id.
 */
export async function getLlmOverTime(db: Db, input: MetricInput & { by: LlmBreakdown; includeSpend?: boolean }) {
  const spend = input.includeSpend !== false;
  const s = await readScope(db, input);
  const range = { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone };
  const point = (t: Date, key: string, calls: number, cost: number, tokens?: number) => ({
    t,
    key,
    calls,
    ...(tokens === undefined ? {} : { tokens }),
    ...(spend ? { costUsd: cost } : {}),
  });
  if (input.by !== "user") {
    const rows = await groupedSeries<SumRow>(s, LLM, input.by, SUMS);
    const points = rows.map((r) => point(r.t, r.k, num(r.calls), num(r.cost), num(r.input) + num(r.output)));
    return { range, by: input.by, tokens: true, otherKey: null, points };
  }
  const u = userSource(s);
  const top = (await topUsers(s, spend, TOP_USERS_OVER_TIME)).map((r) => r.user_id);
  // "Other" is every call outside the top users, those without a user id included, so the stacks add up
  // to the same totals as the other breakdowns; the totals come from the LLM rollup, not per-user rows.
  const [perUser, all] = await Promise.all([
    top.length ? groupedSeries<UserSumRow>(u.scope, u.spec, "user_id", USER_SUMS, { ...u.extra, user_id: top }) : Promise.resolve([]),
    series<SumRow>(s, LLM, SUMS),
  ]);
  const shown = new Map<number, { calls: number; cost: number }>();
  for (const r of perUser) {
    const x = shown.get(r.t.getTime()) ?? { calls: 0, cost: 0 };
    shown.set(r.t.getTime(), { calls: x.calls + num(r.calls), cost: x.cost + num(r.cost) });
  }
  const others = all.flatMap((r) => {
    const x = shown.get(r.t.getTime()) ?? { calls: 0, cost: 0 };
    const calls = num(r.calls) - x.calls;
    return calls > 0 ? [point(r.t, OTHER_KEY, calls, num(r.cost) - x.cost)] : [];
  });
  return { range, by: input.by, tokens: false, otherKey: OTHER_KEY, points: [...perUser.map((r) => point(r.t, r.k, num(r.calls), num(r.cost))), ...others] };
}

/**
 * Month-end projection: month-to-date spend plus the average daily spend of the last 7 complete
 * local days (or of the days so far this month, when fewer) times the days left in the month.
 */
async function monthEndProjection(s: ReadScope) {
  const now = s.to;
  const [cal, weekAgo] = await Promise.all([calendar(s.db, now, s.timeZone), localMidnightBefore(s.db, now, s.timeZone, 7)]);
  const mtd = num((await totals<{ cost: string }>({ ...s, from: cal.month, to: now }, LLM, "coalesce(sum(cost_usd), 0) AS cost")).cost);
  const windowStart = new Date(Math.max(weekAgo.getTime(), cal.month.getTime()));
  // Whole local days: a day with a daylight-saving change has 23 or 25 hours.
  const windowDays = Math.round((cal.day.getTime() - windowStart.getTime()) / 86_400_000);
  const windowCost =
    windowDays > 0 ? num((await totals<{ cost: string }>({ ...s, from: windowStart, to: cal.day }, LLM, "coalesce(sum(cost_usd), 0) AS cost")).cost) : mtd;
  const dailyRate =
    windowDays > 0 ? windowCost / windowDays : now.getTime() - cal.month.getTime() > 0 ? mtd / ((now.getTime() - cal.month.getTime()) / 86_400_000) : 0;
  const daysLeft = (cal.next_month.getTime() - now.getTime()) / 86_400_000;
  return {
    monthToDateUsd: mtd,
    dailyRunRateUsd: dailyRate,
    daysLeft,
    projectedMonthEndUsd: mtd + dailyRate * daysLeft,
    method:
      windowDays > 0
        ? `month-to-date spend + average daily spend of the last ${windowDays} complete day(s) × ${daysLeft.toFixed(2)} days left in the month (${s.timeZone})`
        : `month-to-date spend extrapolated at this month's hourly rate × ${daysLeft.toFixed(2)} days left (${s.timeZone})`,
  };
}

/** Local midnight `days` days before the start of the local day containing `at` (not 24-hour steps: DST). */
async function localMidnightBefore(db: Db, at: Date, timeZone: string, days: number): Promise<Date> {
  const { rows } = await db.query<{ start: Date }>(
    `SELECT ((date_trunc('day', $1::timestamptz, $2) AT TIME ZONE $2) - make_interval(days => $3)) AT TIME ZONE $2 AS start`,
    [at, timeZone, days],
  );
  return rows[0]!.start;
}

async function mostExpensiveCalls(db: Db, input: MetricInput, limit: number) {
  const f = input.filters;
  const { rows } = await db.query(
    `SELECT id::text AS id, time, provider, model, operation, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
        reasoning_tokens AS "reasoningTokens", cost_usd::float8 AS "costUsd", latency_ms AS "latencyMs", user_id AS "userId",
        feature, trace_id AS "traceId", span_id AS "spanId"
       FROM llm_calls WHERE project_id = $1::uuid AND time >= $2 AND time < $3 AND cost_usd IS NOT NULL
        AND ($4::text IS NULL OR model = $4) AND ($5::text IS NULL OR environment = $5) AND ($6::text IS NULL OR feature = $6)
        AND ($7::text IS NULL OR provider = $7)
       ORDER BY cost_usd DESC LIMIT $8`,
    [input.projectId, input.from, input.to, f.model ?? null, f.environment ?? null, f.feature ?? null, f.provider ?? null, limit],
  );
  return rows;
}
