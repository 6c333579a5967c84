/** Alert rules: create, update, delete, list — scoped to one project, audited in the same transaction. */
import { AppError } from "@/server/app-error";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma, type Prisma } from "../db/prisma";
import { ZRuleConfig, type RuleFields, type ZRuleUpdate } from "./schemas";
import { assertSpendWrite, configWithoutSpend, isSpendConfig, type HiddenSpendConfig } from "./spend";
import type { z } from "zod";

type ProjectRef = { id: string; orgId: string };

async function assertChannels(tx: Prisma.TransactionClient, projectId: string, channelIds: string[]) {
  if (!channelIds.length) return;
  const found = await tx.alertChannel.count({ where: { projectId, id: { in: channelIds } } });
  if (found !== new Set(channelIds).size) throw new AppError("BAD_REQUEST", "channelIds: every channel must belong to this project");
}

const view = (r: Prisma.AlertRuleGetPayload<object>) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  severity: r.severity,
  config: ZRuleConfig.parse(r.config),
  channelIds: r.channelIds,
  repeatIntervalMinutes: r.repeatIntervalMinutes,
  enabled: r.enabled,
  lastEvaluatedAt: r.lastEvaluatedAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
type AlertRuleView = ReturnType<typeof view>;

/** `includeSpend`: the caller holds `spend:read`; without it, spend rules can be neither created nor changed (spend.ts). */
export async function createAlertRule(options: { project: ProjectRef; input: RuleFields; actor: AuditActor; includeSpend: boolean }) {
  const { project, input, actor } = options;
  assertSpendWrite(options.includeSpend, input.config);
  return prisma.$transaction(async (tx) => {
    await assertChannels(tx, project.id, input.channelIds);
    const rule = await tx.alertRule.create({
      data: {
        projectId: project.id,
        name: input.name,
        kind: input.config.kind,
        severity: input.severity,
        config: input.config as Prisma.InputJsonValue,
        channelIds: input.channelIds,
        repeatIntervalMinutes: input.repeatIntervalMinutes,
        enabled: input.enabled,
        createdById: actor.userId,
      },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_rule.created",
        targetType: "alert_rule",
        targetId: rule.id,
        metadata: { projectId: project.id, name: rule.name, kind: rule.kind },
      }),
      tx,
    );
    return view(rule);
  });
}

export async function updateAlertRule(options: { project: ProjectRef; input: z.infer<typeof ZRuleUpdate>; actor: AuditActor; includeSpend: boolean }) {
  const { project, input, actor } = options;
  return prisma.$transaction(async (tx) => {
    const existing = await tx.alertRule.findFirst({ where: { id: input.id, projectId: project.id } });
    if (!existing) throw new AppError("NOT_FOUND", "Alert rule not found");
    assertSpendWrite(options.includeSpend, existing.config, input.config);
    if (input.channelIds) await assertChannels(tx, project.id, input.channelIds);
    const rule = await tx.alertRule.update({
      where: { id: existing.id },
      data: {
        name: input.name,
        severity: input.severity,
        channelIds: input.channelIds,
        repeatIntervalMinutes: input.repeatIntervalMinutes,
        enabled: input.enabled,
        ...(input.config ? { config: input.config as Prisma.InputJsonValue, kind: input.config.kind } : {}),
        updatedAt: new Date(),
      },
    });
    // A changed condition starts from a clean state; open incidents stay in history.
    if (input.config) await tx.alertState.deleteMany({ where: { ruleId: rule.id } });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_rule.updated",
        targetType: "alert_rule",
        targetId: rule.id,
        metadata: { projectId: project.id, fields: Object.keys(input).filter((k) => k !== "id") },
      }),
      tx,
    );
    return view(rule);
  });
}

export async function deleteAlertRule(options: { project: ProjectRef; ruleId: string; actor: AuditActor; includeSpend: boolean }) {
  const { project, ruleId, actor } = options;
  return prisma.$transaction(async (tx) => {
    const existing = await tx.alertRule.findFirst({ where: { id: ruleId, projectId: project.id }, select: { config: true } });
    if (!existing) throw new AppError("NOT_FOUND", "Alert rule not found");
    assertSpendWrite(options.includeSpend, existing.config);
    // Lock the rule as evaluateAlerts does (FOR UPDATE), so no evaluation opens an incident between resolving and deleting.
    await tx.$queryRaw`SELECT id FROM alert_rules WHERE id = ${ruleId}::uuid FOR UPDATE`;
    // Resolve before deleting: the delete sets the incidents' rule_id to NULL, after which they can no longer be found by rule.
    const now = new Date();
    const firing = await tx.alertIncident.findMany({ where: { ruleId, projectId: project.id, status: "firing" }, select: { id: true } });
    if (firing.length) {
      const ids = firing.map((i) => i.id);
      await tx.alertIncident.updateMany({ where: { id: { in: ids } }, data: { status: "resolved", resolvedAt: now } });
      await tx.alertIncidentEvent.createMany({
        data: ids.map((incidentId) => ({
          incidentId,
          at: now,
          kind: "resolved",
          message: "Resolved: the alert rule was deleted",
          detail: { reason: "rule_deleted" },
        })),
      });
    }
    await tx.alertRule.delete({ where: { id: ruleId } });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_rule.deleted",
        targetType: "alert_rule",
        targetId: ruleId,
        metadata: { projectId: project.id },
      }),
      tx,
    );
    return { deleted: true as const };
  });
}

/**
 * A rule as the caller may see it: a spend rule without `spend:read` keeps its name, state and
 * severity but loses its amounts, and says so (`moneyHidden`).
 */
function visible<R extends AlertRuleView>(rule: R, includeSpend: boolean) {
  const { config, ...rest } = rule;
  return includeSpend || !isSpendConfig(config)
    ? { ...rest, config, moneyHidden: false as const }
    : { ...rest, config: configWithoutSpend(config) as HiddenSpendConfig, moneyHidden: true as const };
}

export async function listAlertRules(options: { projectId: string; includeSpend: boolean; now?: Date }) {
  const now = options.now ?? new Date();
  const rules = await prisma.alertRule.findMany({
    where: { projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    include: { silences: { where: { endsAt: { gt: now } }, orderBy: { endsAt: "desc" } }, states: { where: { state: { not: "ok" } } } },
  });
  return rules.map((r) => ({
    ...visible(view(r), options.includeSpend),
    silencedUntil: r.silences.find((s) => s.startsAt <= now)?.endsAt ?? null,
    silences: r.silences.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt, reason: s.reason })),
    state: r.states.some((s) => s.state === "firing") ? ("firing" as const) : r.states.length ? ("pending" as const) : ("ok" as const),
  }));
}
