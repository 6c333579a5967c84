/**
 * The organisation home's answer, declared so a field no schema names never leaves the server: per
 * view, the figures of every project; in Management, spend only on projects read with `spend:read`
 * (the shape with money first, so the union keeps it).
 */
import { z } from "zod";
import { EVENT_TYPES } from "./volume";

const num = z.number();
const maybe = num.nullable();
const ZSpark = z.array(z.object({ t: z.date(), value: maybe }));
const ZStat = z.object({ value: maybe, change: maybe, sparkline: ZSpark });
const ZProject = z.object({ slug: z.string(), name: z.string() });
const ZRange = z.object({ from: z.date(), to: z.date(), timeZone: z.string() });

const ZGroup = z.object({
  id: z.string(),
  title: z.string(),
  culprit: z.string().nullable(),
  level: z.string(),
  count: num,
  firstSeen: z.date(),
  lastSeen: z.date(),
});
const ZEngineering = z.object({
  project: ZProject,
  latencyP95: ZStat,
  errorRate: ZStat,
  openErrorGroups: ZStat,
  regressedGroups: z.array(ZGroup),
  newGroups: z.array(ZGroup),
});

const ZOperations = z.object({
  project: ZProject,
  requests: ZStat,
  errorRate: ZStat,
  incidents: z.object({
    firing: num,
    more: z.boolean(),
    top: z.array(z.object({ id: z.string(), title: z.string(), severity: z.string(), startedAt: z.date() })),
  }),
  ingest: ZStat.extend({ value: num, byType: z.record(z.enum(EVENT_TYPES), num) }),
});

const ZUsage = z.object({
  project: ZProject,
  activeUsers: ZStat,
  llmCalls: z.object({ value: num, sparkline: ZSpark }),
  tokens: z.object({ input: num, cachedInput: num, cacheWrite: num, output: num, reasoning: num }),
});
const ZUsageWithSpend = ZUsage.extend({
  spend: z.object({
    todayUsd: num,
    todayChange: maybe,
    monthToDateUsd: num,
    monthToDateChange: maybe,
    sparkline: ZSpark,
    projectedMonthEndUsd: num,
    projectionMethod: z.string(),
  }),
});

export const ZOrgPresetOutput = z.discriminatedUnion("view", [
  z.object({ view: z.literal("engineering"), range: ZRange, projects: z.array(ZEngineering) }),
  z.object({ view: z.literal("operations"), range: ZRange, projects: z.array(ZOperations) }),
  z.object({ view: z.literal("management"), range: ZRange, canSeeSpend: z.boolean(), projects: z.array(z.union([ZUsageWithSpend, ZUsage])) }),
]);
