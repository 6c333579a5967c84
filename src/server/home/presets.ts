/**
 * The organisation home's role-aware views. Every figure comes from the function behind the
 * project page that shows it (getOverview, listErrorGroupsInRange, getLlmUsage, listIncidents), so the
 * home and the project pages never disagree:
 * - Engineering: what is slow and what is failing — p95 latency, error rate, open error groups,
 *   and the top regressed and new error groups of the range.
 * - Operations: is it up and how busy — requests, error rate, firing alert incidents, ingest volume.
 * - Management: usage and where spend is heading — active users, LLM calls and tokens; with
 *   `spend:read` also LLM spend today, month to date and the month-end projection.
 */
import { prisma } from "../db/prisma";
import { listIncidents } from "../alerts/incidents";
import { listErrorGroupsInRange } from "../dashboards/errors";
import type { MetricInput, MetricRange } from "../dashboards/input";
import { getLlmUsage } from "../dashboards/llm";
import { getOverview } from "../dashboards/overview";
import { change, previousPeriod, readScope } from "../dashboards/read";
import type { Db } from "@/server/db/sql";
import { eventsPerDay, sumVolume, totalOf, volumeSeries } from "./volume";

export const PRESETS = ["engineering", "operations", "management"] as const;
export type Preset = (typeof PRESETS)[number];

type Project = { id: string; slug: string; name: string };
type Args = { project: Project; range: MetricRange & Pick<MetricInput, "rollups">; includeSpend: boolean };
type Spark = Array<{ t: Date; value: number | null }>;

const inputOf = ({ project, range }: Args) => ({ ...range, projectId: project.id });
const head = ({ project }: Args) => ({ slug: project.slug, name: project.name });

async function engineering(db: Db, a: Args) {
  const [o, errors] = await Promise.all([
    getOverview(db, { ...inputOf(a), includeSpend: false, includeActiveUsers: false }),
    listErrorGroupsInRange(db, { ...inputOf(a), status: "unresolved", limit: 50, withUsersAndSparklines: false }),
  ]);
  const pick = (g: (typeof errors.groups)[number]) => ({
    id: g.id,
    title: g.title,
    culprit: g.culprit,
    level: g.level,
    count: g.count,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
  });
  return {
    project: head(a),
    latencyP95: { value: o.latency.value.p95, change: o.latency.change.p95, sparkline: o.latency.sparkline.map((p) => ({ t: p.t, value: p.p95 })) as Spark },
    errorRate: { value: o.errorRate.value, change: o.errorRate.change, sparkline: o.errorRate.sparkline as Spark },
    openErrorGroups: { value: o.openErrorGroups.value, change: o.openErrorGroups.change, sparkline: o.openErrorGroups.sparkline as Spark },
    /** Open groups that came back after being resolved, most events in the range first. */
    regressedGroups: errors.groups
      .filter((g) => g.substatus === "regressed")
      .slice(0, 3)
      .map(pick),
    /** Open groups first seen in the range, most events first. */
    newGroups: errors.groups
      .filter((g) => g.firstSeen >= errors.range.from)
      .slice(0, 3)
      .map(pick),
  };
}

async function operations(db: Db, a: Args) {
  const s = await readScope(db, inputOf(a));
  const [o, volume, previousVolume, firing] = await Promise.all([
    getOverview(db, { ...inputOf(a), includeSpend: false, includeActiveUsers: false }),
    volumeSeries(s),
    volumeSeries(previousPeriod(s)),
    listIncidents({ projectId: a.project.id, status: "firing", limit: 20, includeSpend: a.includeSpend }),
  ]);
  const byType = sumVolume(volume);
  const ingested = totalOf(byType);
  return {
    project: head(a),
    requests: { value: o.requests.value, change: o.requests.change, sparkline: o.requests.sparkline as Spark },
    errorRate: { value: o.errorRate.value, change: o.errorRate.change, sparkline: o.errorRate.sparkline as Spark },
    incidents: {
      /** Firing now; at most 20 are counted ("20+" beyond). */
      firing: firing.length,
      more: firing.length === 20,
      top: firing.slice(0, 3).map((i) => ({ id: i.id, title: i.title, severity: i.severity, startedAt: i.startedAt })),
    },
    ingest: {
      value: ingested,
      change: change(ingested, totalOf(sumVolume(previousVolume))),
      sparkline: volume.map((p) => ({ t: p.t, value: totalOf(p) })) as Spark,
      byType,
    },
  };
}

async function management(db: Db, a: Args) {
  const [o, llm] = await Promise.all([
    getOverview(db, { ...inputOf(a), includeSpend: a.includeSpend }),
    getLlmUsage(db, { ...inputOf(a), includeSpend: a.includeSpend }),
  ]);
  const usage = {
    project: head(a),
    activeUsers: { value: o.activeUsers.value, change: o.activeUsers.change, sparkline: o.activeUsers.sparkline as Spark },
    llmCalls: { value: llm.total.calls, sparkline: llm.overTime.map((p) => ({ t: p.t, value: p.calls })) as Spark },
    tokens: llm.total.tokens,
  };
  if (!a.includeSpend || !("spend" in o) || !("projection" in llm)) return usage;
  return {
    ...usage,
    spend: {
      todayUsd: o.spend.todayUsd,
      todayChange: o.spend.todayChange,
      monthToDateUsd: o.spend.monthToDateUsd,
      monthToDateChange: o.spend.monthToDateChange,
      sparkline: o.spend.sparkline as Spark,
      projectedMonthEndUsd: llm.projection.projectedMonthEndUsd,
      projectionMethod: llm.projection.method,
    },
  };
}

/** Runs `fn` over `items` with at most `limit` at a time (each project's read already runs its queries in parallel). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const orgProjects = (orgId: string) => prisma.project.findMany({ where: { orgId }, select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } });

/** One preset's figures for every project of the organisation (its own projects only). */
export async function getOrgPreset(db: Db, options: { orgId: string; view: Preset; range: MetricRange & Pick<MetricInput, "rollups">; includeSpend: boolean }) {
  const projects = await orgProjects(options.orgId);
  const each = <R>(fn: (db: Db, a: Args) => Promise<R>) =>
    mapLimit(projects, 2, (project) => fn(db, { project, range: options.range, includeSpend: options.includeSpend }));
  const range = { from: options.range.from, to: options.range.to, timeZone: options.range.timeZone };
  switch (options.view) {
    case "engineering":
      return { view: "engineering" as const, range, projects: await each(engineering) };
    case "operations":
      return { view: "operations" as const, range, projects: await each(operations) };
    case "management":
      return { view: "management" as const, range, canSeeSpend: options.includeSpend, projects: await each(management) };
  }
}

/** Events per local day over the organisation's projects (its own only). */
export async function getOrgEventsPerDay(db: Db, options: { orgId: string; timeZone: string; days: number }) {
  const projects = await orgProjects(options.orgId);
  return eventsPerDay(db, { projectIds: projects.map((p) => p.id), timeZone: options.timeZone, days: options.days });
}
