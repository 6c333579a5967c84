/** Incidents: list (newest first, filter by status) and detail with the timeline and every delivery's outcome. */
import { z } from "zod";
import { AppError } from "@/server/app-error";
import { prisma } from "../db/prisma";
import { ZRuleConfig } from "./schemas";
import { eventWithoutSpend, incidentWithoutSpend, isSpendIncident } from "./spend";

const RULE = { select: { id: true, name: true, config: true } } as const;

/** Without `spend:read`, an incident of a spend rule loses its amounts (spend.ts); the rule's condition is not returned. */
function visible<
  I extends { seriesKey: string; labels: unknown; title: string; lastValue: number | null; rule: { id: string; name: string; config: unknown } | null },
>(incident: I, includeSpend: boolean) {
  const { rule, ...rest } = incident;
  const parsed = rule ? ZRuleConfig.safeParse(rule.config) : null;
  const out = { ...rest, rule: rule ? { id: rule.id, name: rule.name } : null };
  const hidden = !includeSpend && isSpendIncident({ seriesKey: incident.seriesKey, labels: incident.labels, ruleConfig: parsed?.success ? parsed.data : null });
  return hidden ? incidentWithoutSpend(out) : { ...out, moneyHidden: false as const };
}

/**
 * An incident as a list shows it, declared so what a role may see is a type: for a caller without
 * spend:read a spend incident arrives with `moneyHidden: true` and no amount in `title` or `lastValue`.
 */
export const ZIncidentListItem = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.string(),
  dedupKey: z.string(),
  startedAt: z.date(),
  resolvedAt: z.date().nullable(),
  lastValue: z.number().nullable(),
  labels: z.unknown(),
  rule: z.object({ id: z.string(), name: z.string() }).nullable(),
  moneyHidden: z.boolean(),
});

export async function listIncidents(options: { projectId: string; includeSpend: boolean; status?: "firing" | "resolved"; limit?: number }) {
  const rows = await prisma.alertIncident.findMany({
    where: { projectId: options.projectId, ...(options.status ? { status: options.status } : {}) },
    orderBy: { startedAt: "desc" },
    take: options.limit ?? 50,
    include: { rule: RULE },
  });
  return rows.map((i) => {
    const v = visible(i, options.includeSpend);
    return {
      id: v.id,
      title: v.title,
      severity: v.severity,
      status: v.status,
      dedupKey: v.dedupKey,
      startedAt: v.startedAt,
      resolvedAt: v.resolvedAt,
      lastValue: v.lastValue,
      labels: v.labels,
      rule: v.rule,
      moneyHidden: v.moneyHidden,
    };
  });
}

export async function getIncident(options: { projectId: string; incidentId: string; includeSpend: boolean }) {
  const incident = await prisma.alertIncident.findFirst({
    where: { id: options.incidentId, projectId: options.projectId },
    include: { rule: RULE, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!incident) throw new AppError("NOT_FOUND", "Incident not found");
  const deliveries = await prisma.alertDelivery.findMany({
    where: { incidentId: incident.id, projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      kind: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      sentAt: true,
      createdAt: true,
      channel: { select: { id: true, name: true, kind: true } },
    },
  });
  const { events, ...rest } = visible(incident, options.includeSpend);
  return {
    ...rest,
    events: events.map((e) => {
      const event = { id: e.id.toString(), at: e.at, kind: e.kind, message: e.message, detail: e.detail };
      return rest.moneyHidden ? eventWithoutSpend(event, incident.seriesKey) : event;
    }),
    deliveries,
  };
}
