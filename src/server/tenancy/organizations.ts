import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { ACTIONS, can, type Action, type PermissionPolicy, type Role } from "../auth/permissions";
import { prisma, type Prisma } from "../db/prisma";
import { fieldError, isUniqueViolation } from "@/server/app-error";
import { baseSlug, pickFreeSlug, RESERVED_ORG_SLUGS, SLUG_MAX, ZSlug } from "./slug";

type Tx = Prisma.TransactionClient;
type Actor = AuditActor & { userId: string };

const ZOrgName = z.string().trim().min(1, "Name the organisation").max(100, "Names are at most 100 characters");

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

export const ZTimeZone = z.string().trim().refine(isValidTimeZone, "Use an IANA time zone such as Europe/Berlin or UTC");

export const ZCreateOrganization = z.object({ name: ZOrgName, slug: ZSlug.optional() });
type CreateOrganizationInput = z.infer<typeof ZCreateOrganization>;

export const ZUpdateOrganization = z
  .object({ name: ZOrgName.optional(), timeZone: ZTimeZone.optional() })
  .refine((v) => v.name !== undefined || v.timeZone !== undefined, "Nothing to change");
type UpdateOrganizationInput = z.infer<typeof ZUpdateOrganization>;

const slugTaken = () => fieldError("CONFLICT", "slug", "This slug is taken — choose another");

async function freeOrgSlug(tx: Tx, name: string): Promise<string> {
  const base = baseSlug(name, "org");
  const rows = await tx.organization.findMany({
    where: { slug: { startsWith: base.slice(0, SLUG_MAX - 3) } },
    select: { slug: true },
  });
  return pickFreeSlug(base, new Set(rows.map((r) => r.slug)), RESERVED_ORG_SLUGS);
}

/**
 * Creates an organisation with `userId` as its owner and audits `org.created`, inside the given
 * transaction (sign-up uses it for the personal organisation). An explicit slug must be free.
 */
export async function createOrganizationInTx(
  tx: Tx,
  options: { userId: string; name: string; slug?: string; personal?: boolean; actor: Actor },
): Promise<{ id: string; slug: string }> {
  if (options.slug && RESERVED_ORG_SLUGS.has(options.slug)) throw fieldError("BAD_REQUEST", "slug", `"${options.slug}" is reserved — choose another`);
  if (options.slug && (await tx.organization.findUnique({ where: { slug: options.slug }, select: { id: true } }))) throw slugTaken();
  const slug = options.slug ?? (await freeOrgSlug(tx, options.name));
  const org = await tx.organization.create({
    data: { slug, name: options.name, memberships: { create: { userId: options.userId, role: "owner" } } },
    select: { id: true, slug: true },
  });
  await recordAudit(
    auditFromActor(options.actor, {
      orgId: org.id,
      action: "org.created",
      targetType: "organization",
      targetId: org.id,
      metadata: { slug, name: options.name, personal: options.personal ?? false },
    }),
    tx,
  );
  return org;
}

export async function createOrganization(options: { input: CreateOrganizationInput; actor: Actor }): Promise<{ slug: string }> {
  const input = ZCreateOrganization.parse(options.input);
  try {
    const org = await prisma.$transaction((tx) =>
      createOrganizationInTx(tx, { userId: options.actor.userId, name: input.name, slug: input.slug, actor: options.actor }),
    );
    return { slug: org.slug };
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function listOrganizations(options: { userId: string }) {
  const rows = await prisma.membership.findMany({
    where: { userId: options.userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, org: { select: { id: true, slug: true, name: true } } },
  });
  return rows.map((r) => ({ ...r.org, role: r.role }));
}

/** The caller's allowed actions (under the organisation's policy), so the UI can hide what they may not do. */
function permissionsOf(role: Role, policy?: PermissionPolicy): Action[] {
  return ACTIONS.filter((action) => can(role, action, policy));
}

export async function getOrganization(options: { org: { id: string; role: Role; spendReadRoles?: Role[] } }) {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: options.org.id },
    select: { id: true, slug: true, name: true, timeZone: true },
  });
  return { ...org, role: options.org.role, permissions: permissionsOf(options.org.role, options.org) };
}

/**
 * Renames the organisation and/or changes its time zone. A name change audits `org.updated`,
 * a time-zone change `settings.changed`; both carry before/after values.
 */
export async function updateOrganization(options: { org: { id: string }; input: UpdateOrganizationInput; actor: AuditActor }) {
  const input = ZUpdateOrganization.parse(options.input);
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: options.org.id }, select: { name: true, timeZone: true } });
    const after = await tx.organization.update({
      where: { id: options.org.id },
      data: { name: input.name, timeZone: input.timeZone },
      select: { id: true, slug: true, name: true, timeZone: true },
    });
    const base = { orgId: options.org.id, targetType: "organization", targetId: options.org.id };
    if (input.name !== undefined && input.name !== before.name) {
      await recordAudit(auditFromActor(options.actor, { ...base, action: "org.updated", metadata: { name: { from: before.name, to: after.name } } }), tx);
    }
    if (input.timeZone !== undefined && input.timeZone !== before.timeZone) {
      await recordAudit(
        auditFromActor(options.actor, { ...base, action: "settings.changed", metadata: { timeZone: { from: before.timeZone, to: after.timeZone } } }),
        tx,
      );
    }
    return after;
  });
}
