/** Who may fetch a project's archives outside tRPC (the download route): the same rule as the procedures. */
import { z } from "zod";
import { forbidden, notFound } from "../app-error";
import { can } from "../auth/permissions";
import { clientIp } from "../auth/client-ip";
import { env } from "../env";
import type { AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";

export const ZArchiveDownload = z.object({
  org: z.string().min(1).max(48),
  project: z.string().min(1).max(48),
  file: z.string().min(1, "file is required").max(512),
});

export const ZEndUserExport = z.object({
  org: z.string().min(1).max(48),
  project: z.string().min(1).max(48),
  userId: z.string().trim().min(1, "userId is required").max(256, "At most 256 characters"),
});

/** The project, when the user is a member of its organisation allowed to manage settings; otherwise NOT_FOUND / FORBIDDEN. */
export async function projectForArchiveAccess(userId: string, orgSlug: string, projectSlug: string, what = "download archives") {
  const membership = await prisma.membership.findFirst({ where: { userId, org: { slug: orgSlug } }, select: { role: true, orgId: true } });
  const project = membership
    ? await prisma.project.findUnique({ where: { orgId_slug: { orgId: membership.orgId, slug: projectSlug } }, select: { id: true, orgId: true } })
    : null;
  if (!membership || !project) throw notFound("Project not found");
  if (!can(membership.role, "settings:update")) throw forbidden(`Only owners and admins can ${what}`);
  return project;
}

export const actorOf = (headers: Headers, user: { id: string; email: string }): AuditActor => ({
  userId: user.id,
  email: user.email,
  ip: clientIp(headers.get("x-forwarded-for"), env.TRUSTED_PROXIES),
  userAgent: headers.get("user-agent"),
});
