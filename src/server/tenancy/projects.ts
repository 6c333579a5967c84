import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma, type Prisma } from "../db/prisma";
import { evictApiKey } from "../keys/cache";
import { fieldError, isUniqueViolation } from "@/server/app-error";
import { notifyRevoked } from "../keys/revocation-listener";
import { deleteUnlinkedProjectRows } from "./project-rows";
import { baseSlug, pickFreeSlug, RESERVED_PROJECT_SLUGS, SLUG_MAX, ZSlug } from "./slug";

type Tx = Prisma.TransactionClient;
type OrgRef = { id: string };
type ProjectRef = { id: string; orgId: string };

const ZProjectName = z.string().trim().min(1, "Name the project").max(100, "Names are at most 100 characters");
export const ZCreateProject = z.object({ name: ZProjectName, slug: ZSlug.optional() });
type CreateProjectInput = z.infer<typeof ZCreateProject>;
export const ZUpdateProject = z.object({ name: ZProjectName });
type UpdateProjectInput = z.infer<typeof ZUpdateProject>;

const slugTaken = () => fieldError("CONFLICT", "slug", "A project with this slug already exists in this organisation");

async function freeProjectSlug(tx: Tx, orgId: string, name: string): Promise<string> {
  const base = baseSlug(name, "project");
  const rows = await tx.project.findMany({ where: { orgId, slug: { startsWith: base.slice(0, SLUG_MAX - 3) } }, select: { slug: true } });
  return pickFreeSlug(base, new Set(rows.map((r) => r.slug)), RESERVED_PROJECT_SLUGS);
}

export async function listProjects(options: { org: OrgRef }) {
  return prisma.project.findMany({
    where: { orgId: options.org.id },
    orderBy: [{ name: "asc" }, { slug: "asc" }],
    select: { id: true, slug: true, name: true, createdAt: true },
  });
}

/** Creates a project in the organisation (slug from the name unless given) and audits `project.created`. */
export async function createProject(options: { org: OrgRef; input: CreateProjectInput; actor: AuditActor }): Promise<{ id: string; slug: string }> {
  const input = ZCreateProject.parse(options.input);
  if (input.slug && RESERVED_PROJECT_SLUGS.has(input.slug)) throw fieldError("BAD_REQUEST", "slug", `"${input.slug}" is reserved — choose another`);
  try {
    return await prisma.$transaction(async (tx) => {
      if (input.slug && (await tx.project.findUnique({ where: { orgId_slug: { orgId: options.org.id, slug: input.slug } }, select: { id: true } }))) {
        throw slugTaken();
      }
      const slug = input.slug ?? (await freeProjectSlug(tx, options.org.id, input.name));
      const project = await tx.project.create({ data: { orgId: options.org.id, slug, name: input.name }, select: { id: true, slug: true } });
      await recordAudit(
        auditFromActor(options.actor, {
          orgId: options.org.id,
          action: "project.created",
          targetType: "project",
          targetId: project.id,
          metadata: { slug, name: input.name },
        }),
        tx,
      );
      return project;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function getProject(options: { project: { id: string } }) {
  return prisma.project.findUniqueOrThrow({ where: { id: options.project.id }, select: { id: true, slug: true, name: true, createdAt: true } });
}

/** Renames a project (the slug stays: URLs and SDK configs keep working) and audits `project.updated`. */
export async function updateProject(options: { project: ProjectRef; input: UpdateProjectInput; actor: AuditActor }) {
  const input = ZUpdateProject.parse(options.input);
  return prisma.$transaction(async (tx) => {
    const before = await tx.project.findUniqueOrThrow({ where: { id: options.project.id }, select: { name: true } });
    const after = await tx.project.update({
      where: { id: options.project.id },
      data: { name: input.name },
      select: { id: true, slug: true, name: true, createdAt: true },
    });
    if (before.name !== after.name) {
      await recordAudit(
        auditFromActor(options.actor, {
          orgId: options.project.orgId,
          action: "project.updated",
          targetType: "project",
          targetId: options.project.id,
          metadata: { name: { from: before.name, to: after.name } },
        }),
        tx,
      );
    }
    return after;
  });
}

/**
 * Deletes a project with its events and rollups (which have no foreign key) and, by cascade, its
 * keys, alerting and settings, and audits `project.deleted` with the rows deleted per table. Its keys stop
 * verifying at once in this process (evicted from the key cache).
 */
export async function deleteProject(options: { project: ProjectRef & { slug: string; name: string }; actor: AuditActor }): Promise<{ deleted: true }> {
  const { project } = options;
  const keys = await prisma.apiKey.findMany({ where: { projectId: project.id }, select: { id: true } });
  await prisma.$transaction(
    async (tx) => {
      const rowsDeleted = await deleteUnlinkedProjectRows(tx, [project.id]);
      await tx.project.delete({ where: { id: project.id } });
      await notifyRevoked(
        tx,
        keys.map((k) => k.id),
      );
      await recordAudit(
        auditFromActor(options.actor, {
          orgId: project.orgId,
          action: "project.deleted",
          targetType: "project",
          targetId: project.id,
          metadata: { slug: project.slug, name: project.name, rowsDeleted },
        }),
        tx,
      );
    },
    { timeout: 120_000 },
  );
  for (const key of keys) evictApiKey(key.id);
  return { deleted: true };
}
