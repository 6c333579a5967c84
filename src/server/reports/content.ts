/**
 * The content of a weekly report: per project, the numbers of the week against the week before,
 * taken from the dashboard functions themselves (src/server/dashboards) so the e-mail matches what
 * the charts show. Rendering (render.ts) and storing (build.ts) both work on this shape.
 */
import { ZRuleConfig } from "../alerts/schemas";
import { incidentWithoutSpend, isSpendIncident } from "../alerts/spend";
import { listErrorGroupsInRange } from "../dashboards/errors";
import { getLlmUsage } from "../dashboards/llm";
import { getOverview } from "../dashboards/overview";
import { getPerformance } from "../dashboards/performance";
import { change } from "../dashboards/read";
import { prisma } from "../db/prisma";
import type { Db } from "../db/sql";
import type { ReportWeek } from "./week";

/**
 * An incident as the report stores it: spend incidents' titles carry dollar amounts, so their
 * amount-free title is stored beside (null for other incidents) for readers without spend:read.
 */
function reportIncident(i: {
  title: string;
  severity: string;
  startedAt: Date;
  resolvedAt: Date | null;
  seriesKey: string;
  labels: unknown;
  rule: { config: unknown } | null;
}) {
  const parsed = i.rule ? ZRuleConfig.safeParse(i.rule.config) : null;
  const spend = isSpendIncident({ seriesKey: i.seriesKey, labels: i.labels, ruleConfig: parsed?.success ? parsed.data : null });
  return {
    title: i.title,
    severity: i.severity,
    startedAt: i.startedAt,
    resolvedAt: i.resolvedAt,
    titleWithoutSpend: spend ? incidentWithoutSpend({ title: i.title, seriesKey: i.seriesKey, lastValue: null }).title : null,
  };
}
export type ReportIncident = ReturnType<typeof reportIncident>;

export async function projectSection(db: Db, project: { id: string; slug: string; name: string }, week: ReportWeek, timeZone: string) {
  const input = { projectId: project.id, from: week.from, to: week.to, timeZone, filters: {} };
  const overview = await getOverview(db, { ...input, includeSpend: false, includeActiveUsers: false });
  const errors = await listErrorGroupsInRange(db, { ...input, limit: 200 });
  const perf = await getPerformance(db, { ...input, endpointLimit: 200, slowestLimit: 1 });
  const llm = await getLlmUsage(db, { ...input, includeSpend: true });
  const prevLlm = await getLlmUsage(db, { ...input, from: week.previousFrom, to: week.from, includeSpend: true });
  const spend = "costUsd" in llm.total ? llm.total.costUsd : 0;
  const prevSpend = "costUsd" in prevLlm.total ? prevLlm.total.costUsd : 0;
  const incidents = await prisma.alertIncident.findMany({
    where: { projectId: project.id, startedAt: { gte: week.from, lt: week.to } },
    orderBy: { startedAt: "asc" },
    select: { title: true, severity: true, startedAt: true, resolvedAt: true, seriesKey: true, labels: true, rule: { select: { config: true } } },
  });
  const pick = (g: (typeof errors.groups)[number]) => ({ id: g.id, title: g.title, count: g.count, level: g.level });
  return {
    id: project.id,
    slug: project.slug,
    name: project.name,
    requests: { value: overview.requests.value, previous: overview.requests.previous, change: overview.requests.change },
    errorRate: { value: overview.errorRate.value, previous: overview.errorRate.previous, change: overview.errorRate.change },
    p95: { value: overview.latency.value.p95, previous: overview.latency.previous.p95, change: overview.latency.change.p95 },
    newGroups: errors.groups
      .filter((g) => g.firstSeen >= week.from && g.firstSeen < week.to)
      .slice(0, 5)
      .map(pick),
    regressedGroups: errors.groups
      .filter((g) => g.substatus === "regressed")
      .slice(0, 5)
      .map(pick),
    slowestEndpoints: [...perf.endpoints]
      .filter((e) => e.p95 !== null)
      .sort((a, b) => b.p95! - a.p95!)
      .slice(0, 5)
      .map((e) => ({ route: e.route, method: e.method, count: e.count, p95: e.p95 })),
    llm: {
      spendUsd: spend,
      previousSpendUsd: prevSpend,
      change: change(spend, prevSpend),
      projectedMonthEndUsd: "projection" in llm ? llm.projection.projectedMonthEndUsd : null,
      topModels: (llm.byModel as Array<{ model: string | null; calls: number; costUsd?: number }>)
        .slice(0, 3)
        .map((m) => ({ model: m.model, calls: m.calls, costUsd: m.costUsd ?? 0 })),
    },
    alerts: { fired: incidents.length, incidents: incidents.slice(0, 5).map(reportIncident) },
  };
}

export type ReportContent = {
  org: { id: string; slug: string; name: string };
  weekStart: string;
  from: Date;
  to: Date;
  timeZone: string;
  projects: Array<Awaited<ReturnType<typeof projectSection>>>;
  /** The organisation's latest signed audit checkpoint, so a copy of it lives outside Sightline (absent in reports stored before). */
  auditCheckpoint?: { treeSize: number; createdAt: Date; note: string } | null;
};
