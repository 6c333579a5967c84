/** LLM: tokens and cost over time and by model/provider/feature/user, latency and TTFT, errors, projection. */
import type { MetricInput } from "./input";
import { calendar, grouped, groupedSeries, num, readScope, series, sketches, totals, type ReadScope } from "./read";
import { percentiles } from "./sketch";
import type { Db } from "./sql";
import { LLM, USERS } from "./specs";

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

export async function getLlmUsage(db: Db, input: MetricInput & { includeSpend?: boolean }) {
  const spend = input.includeSpend !== false;
  const s = await readScope(db, input);
  type Breakdown = ReturnType<typeof shape> & Record<"model" | "provider" | "feature", string | null>;
  const breakdown = async (cols: readonly string[]): Promise<Breakdown[]> => {
    const rows = await grouped<SumRow & Record<string, string>>(s, LLM, [...cols], SUMS, { orderBy: spend ? "sum(cost_usd) DESC" : "sum(calls) DESC" });
    return rows.map((r) => ({ ...Object.fromEntries(cols.map((c) => [c, r[c] || null])), ...shape(r, spend) }) as Breakdown);
  };
  const [total, overTime, perModel, byModel, byProvider, byFeature, latency, ttft, users] = await Promise.all([
    totals<SumRow>(s, LLM, SUMS),
    series<SumRow>(s, LLM, SUMS),
    groupedSeries<SumRow>(s, LLM, "model", SUMS),
    breakdown(BY.model),
    breakdown(BY.provider),
    breakdown(BY.feature),
    sketches(s, LLM, "latency", ["model"]),
    sketches(s, LLM, "ttft", ["model"]),
    grouped<{ user_id: string; calls: string; cost: string }>(
      s, USERS, ["user_id"], "sum(count) AS calls, sum(cost_usd) AS cost",
      { orderBy: spend ? "sum(cost_usd) DESC, user_id" : "sum(count) DESC, user_id", limit: 50, extra: { kind: "llm" } },
    ),
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
    byUser: users.map((u) => ({ userId: u.user_id, calls: num(u.calls), ...(spend ? { costUsd: num(u.cost), costPerCallUsd: num(u.cost) / num(u.calls) } : {}) })),
    latencyByModel: byModel.map((m) => ({
      model: m.model,
      latencyMs: percentiles(latency.get(m.model ?? "") ?? { bins: [], counts: [] }),
      ttftMs: percentiles(ttft.get(m.model ?? "") ?? { bins: [], counts: [] }),
    })),
  };
  if (!spend) return result;
  const costPerUser = users.length ? users.reduce((a, u) => a + num(u.cost), 0) / users.length : null;
  const [projection, mostExpensive] = await Promise.all([monthEndProjection(s), mostExpensiveCalls(db, { ...input, from: s.from }, 20)]);
  return { ...result, costPerUserUsd: costPerUser, projection, mostExpensive };
}

/**
 * Month-end projection: month-to-date spend plus the average daily spend of the last 7 complete
 * local days (or of the days so far this month, when fewer) times the days left in the month.
 */
async function monthEndProjection(s: ReadScope) {
  const now = s.to;
  const cal = await calendar(s.db, now, s.timeZone);
  const mtd = num((await totals<{ cost: string }>({ ...s, from: cal.month, to: now }, LLM, "coalesce(sum(cost_usd), 0) AS cost")).cost);
  const windowStart = new Date(Math.max(cal.day.getTime() - 7 * 86_400_000, cal.month.getTime()));
  const windowDays = (cal.day.getTime() - windowStart.getTime()) / 86_400_000;
  const windowCost = windowDays > 0
    ? num((await totals<{ cost: string }>({ ...s, from: windowStart, to: cal.day }, LLM, "coalesce(sum(cost_usd), 0) AS cost")).cost)
    : mtd;
  const dailyRate = windowDays > 0 ? windowCost / windowDays : (now.getTime() - cal.month.getTime()) > 0 ? mtd / ((now.getTime() - cal.month.getTime()) / 86_400_000) : 0;
  const daysLeft = (cal.next_month.getTime() - now.getTime()) / 86_400_000;
  return {
    monthToDateUsd: mtd,
    dailyRunRateUsd: dailyRate,
    daysLeft,
    projectedMonthEndUsd: mtd + dailyRate * daysLeft,
    method: windowDays > 0
      ? `month-to-date spend + average daily spend of the last ${windowDays} complete day(s) × ${daysLeft.toFixed(2)} days left in the month (${s.timeZone})`
      : `month-to-date spend extrapolated at this month's hourly rate × ${daysLeft.toFixed(2)} days left (${s.timeZone})`,
  };
}

async function mostExpensiveCalls(db: Db, input: MetricInput, limit: number) {
  const f = input.filters;
  const { rows } = await db.query(
    `SELECT id::text AS id, time, provider, model, operation, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
        reasoning_tokens AS "reasoningTokens", cost_usd::float8 AS "costUsd", latency_ms AS "latencyMs", user_id AS "userId",
        feature, trace_id AS "traceId", span_id AS "spanId"
       FROM llm_calls WHERE project_id = $1::uuid AND time >= $2 AND time < $3 AND cost_usd IS NOT NULL
        AND ($4::text IS NULL OR model = $4) AND ($5::text IS NULL OR environment = $5) AND ($6::text IS NULL OR feature = $6)
       ORDER BY cost_usd DESC LIMIT $7`,
    [input.projectId, input.from, input.to, f.model ?? null, f.environment ?? null, f.feature ?? null, limit],
  );
  return rows;
}
