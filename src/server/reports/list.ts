/** Stored weekly reports of an organisation: list and one report (spend left out unless the viewer may see it). */
import { AppError } from "@/server/app-error";
import { prisma } from "../db/prisma";
import type { ReportContent } from "./content";
import { incidentTitle, renderReport } from "./render";

export async function listWeeklyReports(options: { orgId: string; limit?: number }) {
  const rows = await prisma.weeklyReport.findMany({
    where: { orgId: options.orgId },
    orderBy: { weekStart: "desc" },
    take: options.limit ?? 52,
    select: { id: true, weekStart: true, timeZone: true, generatedAt: true },
  });
  return rows.map((r) => ({ ...r, weekStart: r.weekStart.toISOString().slice(0, 10) }));
}

export async function getWeeklyReport(options: { orgId: string; reportId: string; includeSpend: boolean }) {
  const row = await prisma.weeklyReport.findFirst({ where: { id: options.reportId, orgId: options.orgId } });
  if (!row) throw new AppError("NOT_FOUND", "Report not found");
  const content = row.content as unknown as ReportContent;
  // The reader's view: incident titles without amounts and no LLM section unless the reader has spend:read.
  const withTitles = content.projects.map((p) => ({
    ...p,
    alerts: {
      ...p.alerts,
      incidents: p.alerts.incidents.map((i) => ({
        title: incidentTitle(i, options.includeSpend),
        severity: i.severity,
        startedAt: i.startedAt,
        resolvedAt: i.resolvedAt,
      })),
    },
  }));
  const projects = options.includeSpend ? withTitles : withTitles.map(({ llm: _llm, ...rest }) => rest);
  const rendered = renderReport(content, { includeSpend: options.includeSpend, unsubscribeUrl: null });
  return {
    id: row.id,
    weekStart: row.weekStart.toISOString().slice(0, 10),
    generatedAt: row.generatedAt,
    content: { ...content, projects },
    html: rendered.html,
    text: rendered.text,
  };
}
