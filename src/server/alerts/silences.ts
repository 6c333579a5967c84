/** Silences: a rule notifies nobody until `endsAt` (it keeps evaluating; a still-firing alert is notified when the silence ends). */
import { AppError } from "@/server/app-error";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { assertSpendWrite } from "./spend";

type ProjectRef = { id: string; orgId: string };

/** `includeSpend`: the caller holds `spend:read`; without it, spend rules are neither silenced nor un-silenced (spend.ts). */
export async function createSilence(options: {
  project: ProjectRef;
  ruleId: string;
  endsAt: Date;
  reason?: string;
  actor: AuditActor;
  includeSpend: boolean;
  now?: Date;
}) {
  const { project, actor } = options;
  const now = options.now ?? new Date();
  if (options.endsAt <= now) throw new AppError("BAD_REQUEST", "endsAt: must be in the future");
  return prisma.$transaction(async (tx) => {
    const rule = await tx.alertRule.findFirst({ where: { id: options.ruleId, projectId: project.id }, select: { id: true, config: true } });
    if (!rule) throw new AppError("NOT_FOUND", "Alert rule not found");
    assertSpendWrite(options.includeSpend, rule.config);
    const silence = await tx.alertSilence.create({
      data: { projectId: project.id, ruleId: rule.id, startsAt: now, endsAt: options.endsAt, reason: options.reason, createdById: actor.userId },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_silence.created",
        targetType: "alert_rule",
        targetId: rule.id,
        metadata: { projectId: project.id, endsAt: options.endsAt.toISOString() },
      }),
      tx,
    );
    return { id: silence.id, ruleId: silence.ruleId, startsAt: silence.startsAt, endsAt: silence.endsAt, reason: silence.reason };
  });
}

/** Ends a silence now (the rule notifies again from its next evaluation). */
export async function endSilence(options: { project: ProjectRef; silenceId: string; actor: AuditActor; includeSpend: boolean; now?: Date }) {
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const silence = await tx.alertSilence.findFirst({
      where: { id: options.silenceId, projectId: options.project.id },
      select: { rule: { select: { config: true } } },
    });
    assertSpendWrite(options.includeSpend, silence?.rule.config);
    const { count } = await tx.alertSilence.updateMany({
      where: { id: options.silenceId, projectId: options.project.id, endsAt: { gt: now } },
      data: { endsAt: now },
    });
    if (!count) throw new AppError("NOT_FOUND", "Active silence not found");
    await recordAudit(
      auditFromActor(options.actor, {
        orgId: options.project.orgId,
        action: "alert_silence.ended",
        targetType: "alert_silence",
        targetId: options.silenceId,
        metadata: { projectId: options.project.id },
      }),
      tx,
    );
    return { ended: true as const };
  });
}
