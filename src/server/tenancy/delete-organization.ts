/**
 * Deleting an organisation (owners only: `org:delete`), after the caller types its slug. One
 * transaction removes everything it holds: the per-project event and rollup tables (which carry
 * project_id but, by design, no foreign key — DESIGN.md "Scale"), found in the catalog so a table
 * added later is not forgotten; then the organisation row, whose foreign keys cascade to members,
 * invitations, projects, API keys, prices, redaction rules, alerting and reports. The audit log is
 * the one exception: it is append-only (a trigger refuses deletes), so the organisation's chain stays
 * as evidence, and the deletion is recorded in the global chain with where the organisation's chain
 * ended (last seq and hash) — a record appended to it afterwards, or one cut off, shows.
 */
import { z } from "zod";
import { fieldError } from "../app-error";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { evictApiKey } from "../keys/cache";
import { deleteUnlinkedProjectRows } from "./project-rows";

export const ZDeleteOrganization = z.object({
  /** The organisation's slug, typed by the person deleting it. */
  confirm: z.string().trim().max(100),
});

export async function deleteOrganization(options: {
  org: { id: string; slug: string; name: string };
  confirm: string;
  actor: AuditActor;
}): Promise<{ deleted: true }> {
  const { org } = options;
  if (options.confirm.trim() !== org.slug) {
    throw fieldError("BAD_REQUEST", "confirm", `Type the organisation's slug, ${org.slug}, to delete it`);
  }
  const projects = await prisma.project.findMany({ where: { orgId: org.id }, select: { id: true } });
  const projectIds = projects.map((p) => p.id);
  const keys = await prisma.apiKey.findMany({ where: { projectId: { in: projectIds } }, select: { id: true } });
  await prisma.$transaction(
    async (tx) => {
      const rowsDeleted = await deleteUnlinkedProjectRows(tx, projectIds);
      await tx.organization.delete({ where: { id: org.id } });
      const chainEnd = await tx.auditLog.findFirst({ where: { chain: org.id }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
      await recordAudit(
        auditFromActor(options.actor, {
          chain: "global",
          orgId: null,
          action: "org.deleted",
          targetType: "organization",
          targetId: org.id,
          metadata: {
            slug: org.slug,
            name: org.name,
            projects: projectIds.length,
            rowsDeleted,
            auditChain: chainEnd ? { seq: chainEnd.seq.toString(), hash: chainEnd.hash } : null,
          },
        }),
        tx,
      );
    },
    { timeout: 120_000 },
  );
  for (const key of keys) evictApiKey(key.id);
  return { deleted: true };
}
