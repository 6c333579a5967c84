/** Per-project redaction rules, edited in project settings by owners and admins. */
import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { notFound } from "@/server/app-error";
import { compileUserPattern } from "../patterns/user-pattern";
import { invalidateRedactionCache } from "./redaction-rules";

export const ZCreateRedactionRule = z
  .object({
    kind: z.enum(["key", "pattern"]),
    pattern: z.string().trim().min(1, "Enter a key name or a regular expression").max(512, "At most 512 characters"),
    description: z.string().trim().max(256).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.kind !== "pattern") return;
    try {
      if (compileUserPattern(rule.pattern).test(""))
        ctx.addIssue({ code: "custom", path: ["pattern"], message: "The expression matches empty text, so it would redact everything" });
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: `Not a usable regular expression: ${(error as Error).message}` });
    }
  });
type CreateRedactionRuleInput = z.infer<typeof ZCreateRedactionRule>;

type Project = { id: string; orgId: string };

export function listRedactionRules({ projectId }: { projectId: string }) {
  return prisma.redactionRule.findMany({
    where: { projectId },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, pattern: true, description: true, createdAt: true },
  });
}

export async function createRedactionRule({ project, input, actor }: { project: Project; input: CreateRedactionRuleInput; actor: AuditActor }) {
  const data = ZCreateRedactionRule.parse(input);
  const rule = await prisma.$transaction(async (tx) => {
    const created = await tx.redactionRule.create({
      data: { projectId: project.id, kind: data.kind, pattern: data.pattern, description: data.description ?? null, createdById: actor.userId },
      select: { id: true, kind: true, pattern: true, description: true, createdAt: true },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "settings.changed",
        targetType: "redaction_rule",
        targetId: created.id,
        metadata: { projectId: project.id, change: "redaction_rule.created", kind: data.kind, pattern: data.pattern },
      }),
      tx,
    );
    return created;
  });
  invalidateRedactionCache(project.id);
  return rule;
}

export async function deleteRedactionRule({ project, ruleId, actor }: { project: Project; ruleId: string; actor: AuditActor }) {
  await prisma.$transaction(async (tx) => {
    const rule = await tx.redactionRule.findFirst({ where: { id: ruleId, projectId: project.id }, select: { id: true, kind: true, pattern: true } });
    if (!rule) throw notFound("Redaction rule not found");
    await tx.redactionRule.delete({ where: { id: rule.id } });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "settings.changed",
        targetType: "redaction_rule",
        targetId: rule.id,
        metadata: { projectId: project.id, change: "redaction_rule.deleted", kind: rule.kind, pattern: rule.pattern },
      }),
      tx,
    );
  });
  invalidateRedactionCache(project.id);
  return { id: ruleId };
}
