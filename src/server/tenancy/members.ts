import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { assignableRoles, ROLES, type Role } from "../auth/permissions";
import { prisma, type Prisma } from "../db/prisma";
import { forbidden, notFound, preconditionFailed } from "@/server/app-error";

type Tx = Prisma.TransactionClient;
type OrgRef = { id: string; role: Role };

export const ZRole = z.enum(ROLES);
export const ZUserId = z.uuid("Unknown member");

export async function listMembers(options: { org: { id: string } }) {
  const rows = await prisma.membership.findMany({
    where: { orgId: options.org.id },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

/** Locks the organisation's owner memberships and counts them, so two concurrent demotions cannot both pass. */
async function lockedOwnerCount(tx: Tx, orgId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM memberships WHERE org_id = ${orgId}::uuid AND role = 'owner' FOR UPDATE`;
  return rows.length;
}

async function loadTarget(tx: Tx, orgId: string, userId: string) {
  const target = await tx.membership.findUnique({
    where: { orgId_userId: { orgId, userId } },
    select: { role: true, user: { select: { email: true } } },
  });
  if (!target) throw notFound("Member not found");
  return target;
}

/** Nobody acts on a member who outranks them (an admin cannot demote or remove an owner). */
function ensureMayManage(caller: Role, target: Role) {
  if (!assignableRoles(caller).includes(target)) throw forbidden(`Your role (${caller}) cannot change a member with the ${target} role`);
}

/**
 * Changes a member's role. Nobody grants a role above their own or touches a member above them,
 * and the last owner cannot be demoted. Audits `member.role_changed` with the old and new role.
 */
export async function changeMemberRole(options: { org: OrgRef; userId: string; role: Role; actor: AuditActor }) {
  const { org, userId, role, actor } = options;
  if (!assignableRoles(org.role).includes(role)) throw forbidden(`Your role (${org.role}) cannot grant the ${role} role`);
  return prisma.$transaction(async (tx) => {
    const owners = await lockedOwnerCount(tx, org.id);
    const target = await loadTarget(tx, org.id, userId);
    ensureMayManage(org.role, target.role);
    if (target.role === role) return { userId, role };
    if (target.role === "owner" && owners <= 1) {
      throw preconditionFailed("This is the organisation's last owner: make another member an owner first");
    }
    await tx.membership.update({ where: { orgId_userId: { orgId: org.id, userId } }, data: { role } });
    await recordAudit(
      auditFromActor(actor, {
        orgId: org.id,
        action: "member.role_changed",
        targetType: "user",
        targetId: userId,
        metadata: { email: target.user.email, from: target.role, to: role },
      }),
      tx,
    );
    return { userId, role };
  });
}

/** Removes a member; the last owner cannot be removed. Audits `member.removed`. */
export async function removeMember(options: { org: OrgRef; userId: string; actor: AuditActor }): Promise<{ removed: true }> {
  const { org, userId, actor } = options;
  await prisma.$transaction(async (tx) => {
    const owners = await lockedOwnerCount(tx, org.id);
    const target = await loadTarget(tx, org.id, userId);
    ensureMayManage(org.role, target.role);
    if (target.role === "owner" && owners <= 1) {
      throw preconditionFailed("This is the organisation's last owner: make another member an owner before removing them");
    }
    await tx.membership.delete({ where: { orgId_userId: { orgId: org.id, userId } } });
    await recordAudit(
      auditFromActor(actor, {
        orgId: org.id,
        action: "member.removed",
        targetType: "user",
        targetId: userId,
        metadata: { email: target.user.email, role: target.role },
      }),
      tx,
    );
  });
  return { removed: true };
}
