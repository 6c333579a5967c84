/**
 * Response shapes of the dashboard procedures that carry LLM spend. Each is the shape a caller with
 * `spend:read` gets or, failing that, the shape without money: tRPC parses every answer with it, so
 * a field the schema does not name never leaves the server, and the client's types say which fields
 * only spend readers receive (`"projection" in answer`).
 */
import { z } from "zod";

const num = z.number();
const maybe = num.nullable();
const ZRange = z.object({ from: z.date(), to: z.date(), step: z.string(), timeZone: z.string() });
const ZPercentiles = z.object({ p50: maybe, p95: maybe, p99: maybe });
const ZPoint = z.object({ t: z.date(), value: maybe });

const headline = <V extends z.ZodType>(value: V) =>
  z.object({ value: value.nullable(), previous: value.nullable(), change: maybe, sparkline: z.array(ZPoint) });

const ZOverview = z.object({
  range: ZRange,
  requests: headline(num),
  errorRate: headline(num),
  latency: z.object({
    value: ZPercentiles,
    previous: ZPercentiles,
    change: ZPercentiles,
    sparkline: z.array(ZPercentiles.extend({ t: z.date() })),
  }),
  activeUsers: headline(num),
  openErrorGroups: headline(num),
});
export const ZOverviewOutput = z.union([
  ZOverview.extend({
    spend: z.object({
      todayUsd: num,
      yesterdaySameTimeUsd: num,
      todayChange: maybe,
      monthToDateUsd: num,
      previousMonthSameDayUsd: num,
      monthToDateChange: maybe,
      sparkline: z.array(ZPoint),
    }),
  }),
  ZOverview,
]);

const ZTokens = z.object({ input: num, cachedInput: num, cacheWrite: num, output: num, reasoning: num });
const ZSums = z.object({ calls: num, errorRate: maybe, tokens: ZTokens });
const ZSumsWithSpend = ZSums.extend({ costUsd: num, costPerCallUsd: maybe });
const dims = { model: z.string().nullable().optional(), provider: z.string().nullable().optional(), feature: z.string().nullable().optional() };

const ZLlmUsage = z.object({
  range: ZRange,
  usersWithCalls: num,
  callsWithUser: num,
  latencyByModel: z.array(z.object({ model: z.string().nullable(), latencyMs: ZPercentiles, ttftMs: ZPercentiles })),
});
const sumsOf = <S extends z.ZodRawShape>(sums: z.ZodObject<S>) => ({
  total: sums,
  overTime: z.array(sums.extend({ t: z.date() })),
  overTimeByModel: z.array(sums.extend({ t: z.date(), model: z.string() })),
  byModel: z.array(sums.extend(dims)),
  byProvider: z.array(sums.extend(dims)),
  byFeature: z.array(sums.extend(dims)),
});

export const ZLlmUsageOutput = z.union([
  ZLlmUsage.extend({
    ...sumsOf(ZSumsWithSpend),
    byUser: z.array(z.object({ userId: z.string(), calls: num, costUsd: num, costPerCallUsd: num })),
    userCostUsd: num,
    costPerUserUsd: maybe,
    projection: z.object({ monthToDateUsd: num, dailyRunRateUsd: num, daysLeft: num, projectedMonthEndUsd: num, method: z.string() }),
    mostExpensive: z.array(
      z.object({
        id: z.string(),
        time: z.date(),
        provider: z.string().nullable(),
        model: z.string(),
        operation: z.string().nullable(),
        inputTokens: maybe,
        outputTokens: maybe,
        reasoningTokens: maybe,
        costUsd: maybe,
        latencyMs: maybe,
        userId: z.string().nullable(),
        feature: z.string().nullable(),
        traceId: z.string().nullable(),
        spanId: z.string().nullable(),
      }),
    ),
  }),
  ZLlmUsage.extend({ ...sumsOf(ZSums), byUser: z.array(z.object({ userId: z.string(), calls: num })) }),
]);

const overTime = <S extends z.ZodRawShape>(point: z.ZodObject<S>) =>
  z.object({
    range: ZRange,
    by: z.enum(["model", "provider", "feature", "user"]),
    tokens: z.boolean(),
    otherKey: z.string().nullable(),
    points: z.array(point),
  });
const ZOverTimePoint = z.object({ t: z.date(), key: z.string(), calls: num, tokens: num.optional() });
export const ZLlmOverTimeOutput = z.union([overTime(ZOverTimePoint.extend({ costUsd: num })), overTime(ZOverTimePoint)]);

const ZUserActivity = z.object({
  range: ZRange.omit({ step: true }),
  dailyActive: z.array(z.object({ t: z.date(), users: num })),
  weeklyActive: z.array(z.object({ t: z.date(), users: num })),
  dau: num,
  wau: num,
  activeInRange: num,
  topByRequests: z.array(z.object({ userId: z.string(), requests: num })),
  featureUsage: z.array(z.object({ name: z.string(), count: num, users: num })),
});
export const ZUserActivityOutput = z.union([
  ZUserActivity.extend({ topBySpend: z.array(z.object({ userId: z.string(), costUsd: num, calls: num })) }),
  ZUserActivity,
]);

/** Spans, logs, errors and requests of a trace: stored rows, their attributes free-form (money-named ones are removed for callers without spend). */
const ZRow = z.record(z.string(), z.any());
const ZLlmCall = z.object({
  id: z.string(),
  time: z.date(),
  provider: z.string().nullable(),
  model: z.string(),
  operation: z.string(),
  inputTokens: num,
  cachedInputTokens: num,
  cacheWriteTokens: num,
  outputTokens: num,
  reasoningTokens: num,
  latencyMs: maybe,
  timeToFirstTokenMs: maybe,
  status: z.string(),
  errorType: z.string().nullable(),
  userId: z.string().nullable(),
  feature: z.string().nullable(),
  prompt: z.string().nullable(),
  completion: z.string().nullable(),
  service: z.string().nullable(),
  environment: z.string().nullable(),
  release: z.string().nullable(),
  traceId: z.string().nullable(),
  spanId: z.string().nullable(),
  attributes: z.unknown(),
  redactions: z.array(z.string()),
});
const trace = <S extends z.ZodRawShape>(call: z.ZodObject<S>) =>
  z.object({
    traceId: z.string(),
    startTime: z.date().nullable(),
    endTime: z.date().nullable(),
    durationMs: maybe,
    spans: z.array(ZRow),
    logs: z.array(ZRow),
    errors: z.array(ZRow),
    llmCalls: z.array(call),
    requests: z.array(ZRow),
  });
export const ZTraceOutput = z.union([
  trace(ZLlmCall.extend({ costUsd: maybe, costSource: z.string(), priceId: z.string().nullable(), priceVersion: maybe })),
  trace(ZLlmCall),
]);
