/**
 * buildWeeklyReport: the report of one organisation and week (content.ts), rendered (render.ts) and
 * stored in weekly_reports (one row per organisation and week) with its HTML and text renderings.
 */
import { AppError } from "@/server/app-error";
import { latestCheckpoint } from "../audit/verification";
import { prisma, type Prisma } from "../db/prisma";
import type { Db } from "@/server/db/sql";
import { projectSection, type ReportContent } from "./content";
import { renderReport } from "./render";
import { reportWeek } from "./week";

/** Builds (or rebuilds) and stores the report of one organisation for the week starting `weekStart` (a Monday, local). */
export async function buildWeeklyReport(db: Db, options: { orgId: string; weekStart: string }) {
  const org = await prisma.organization.findUnique({
    where: { id: options.orgId },
    select: { id: true, slug: true, name: true, timeZone: true, projects: { select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } } },
  });
  if (!org) throw new AppError("NOT_FOUND", "Organisation not found");
  const week = await reportWeek(db, options.weekStart, org.timeZone);
  const projects = [];
  for (const p of org.projects) projects.push(await projectSection(db, p, week, org.timeZone));
  const content: ReportContent = {
    org: { id: org.id, slug: org.slug, name: org.name },
    weekStart: week.weekStart,
    from: week.from,
    to: week.to,
    timeZone: org.timeZone,
    projects,
    auditCheckpoint: await latestCheckpoint(db, org.id), // the organisation's chain is its id
  };
  const rendered = renderReport(content, { includeSpend: true, unsubscribeUrl: null });
  const weekDate = new Date(`${week.weekStart}T00:00:00Z`);
  const json = JSON.parse(JSON.stringify(content)) as Prisma.InputJsonValue;
  const stored = await prisma.weeklyReport.upsert({
    where: { orgId_weekStart: { orgId: org.id, weekStart: weekDate } },
    create: { orgId: org.id, weekStart: weekDate, timeZone: org.timeZone, content: json, html: rendered.html, text: rendered.text },
    update: { timeZone: org.timeZone, content: json, html: rendered.html, text: rendered.text, generatedAt: new Date() },
  });
  return { id: stored.id, content };
}
