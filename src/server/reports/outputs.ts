/**
 * A stored weekly report as `reports.get` answers it, declared so a field no schema names never
 * leaves the server: projects carry their LLM section only for readers with `spend:read` (the shape
 * with it first, so the union keeps it). The content is JSON as stored, so its dates arrive as ISO
 * strings although ReportContent types them as Date: both are accepted and passed on unchanged.
 */
import { z } from "zod";

const num = z.number();
const maybe = num.nullable();
const storedDate = z.union([z.date(), z.string()]);
const ZCompare = z.object({ value: maybe, previous: maybe, change: maybe });
const ZGroup = z.object({ id: z.string(), title: z.string(), count: num, level: z.string() });

const ZProject = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  requests: ZCompare,
  errorRate: ZCompare,
  p95: ZCompare,
  newGroups: z.array(ZGroup),
  regressedGroups: z.array(ZGroup),
  slowestEndpoints: z.array(z.object({ route: z.string().nullable(), method: z.string(), count: num, p95: maybe })),
  alerts: z.object({
    fired: num,
    incidents: z.array(z.object({ title: z.string(), severity: z.string(), startedAt: storedDate, resolvedAt: storedDate.nullable() })),
  }),
});
const ZProjectWithLlm = ZProject.extend({
  llm: z.object({
    spendUsd: num,
    previousSpendUsd: num,
    change: maybe,
    projectedMonthEndUsd: maybe,
    topModels: z.array(z.object({ model: z.string().nullable(), calls: num, costUsd: num })),
  }),
});

export const ZWeeklyReportOutput = z.object({
  id: z.string(),
  weekStart: z.string(),
  generatedAt: z.date(),
  html: z.string(),
  text: z.string(),
  content: z.object({
    org: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    weekStart: z.string(),
    from: storedDate,
    to: storedDate,
    timeZone: z.string(),
    projects: z.array(z.union([ZProjectWithLlm, ZProject])),
    auditCheckpoint: z.object({ treeSize: num, createdAt: storedDate, note: z.string() }).nullable().optional(),
  }),
});
