/** Incidents: list (newest first, filter by status) and detail with the timeline and every delivery's outcome. */
import { TRPCError } from "@trpc/server";
import { prisma } from "../db/prisma";

export async function listIncidents(options: { projectId: string; status?: "firing" | "resolved"; limit?: number }) {
  const rows = await prisma.alertIncident.findMany({
    where: { projectId: options.projectId, ...(options.status ? { status: options.status } : {}) },
    orderBy: { startedAt: "desc" },
    take: options.limit ?? 50,
    include: { rule: { select: { id: true, name: true } } },
  });
  return rows.map((i) => ({
    id: i.id, title: i.title, severity: i.severity, status: i.status, dedupKey: i.dedupKey, startedAt: i.startedAt, resolvedAt: i.resolvedAt,
    lastValue: i.lastValue, labels: i.labels, rule: i.rule,
  }));
}

export async function getIncident(options: { projectId: string; incidentId: string }) {
  const incident = await prisma.alertIncident.findFirst({
    where: { id: options.incidentId, projectId: options.projectId },
    include: { rule: { select: { id: true, name: true } }, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!incident) throw new TRPCError({ code: "NOT_FOUND", message: "Incident not found" });
  const deliveries = await prisma.alertDelivery.findMany({
    where: { incidentId: incident.id, projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, status: true, attempts: true, lastError: true, nextAttemptAt: true, sentAt: true, createdAt: true, channel: { select: { id: true, name: true, kind: true } } },
  });
  return {
    ...incident,
    events: incident.events.map((e) => ({ id: e.id.toString(), at: e.at, kind: e.kind, message: e.message, detail: e.detail })),
    deliveries,
  };
}
