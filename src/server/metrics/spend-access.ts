/** Who sees LLM spend: owners always; owners choose which other roles do (an organisation setting). */
import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "@/server/audit/record";
import { prisma } from "@/server/db/prisma";

export const ZSpendReadRoles = z.object({
  roles: z.array(z.enum(["admin", "member", "viewer"])).max(3).transform((r) => [...new Set(r)]),
});

export async function getSpendReadRoles(options: { orgId: string }) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: options.orgId }, select: { spendReadRoles: true } });
  return { roles: org.spendReadRoles.filter((r) => r !== "owner"), ownersAlways: true as const };
}

export async function setSpendReadRoles(options: { orgId: string; roles: Array<"admin" | "member" | "viewer">; actor: AuditActor }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: options.orgId }, select: { spendReadRoles: true } });
    const roles = ["owner" as const, ...options.roles];
    await tx.organization.update({ where: { id: options.orgId }, data: { spendReadRoles: roles } });
    await recordAudit(
      auditFromActor(options.actor, {
        orgId: options.orgId, action: "settings.changed", targetType: "organization", targetId: options.orgId,
        metadata: { setting: "spend_read_roles", from: before.spendReadRoles, to: roles },
      }),
      tx,
    );
    return { roles: options.roles, ownersAlways: true as const };
  });
}
