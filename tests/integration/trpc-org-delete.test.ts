/**
 * org.delete: owners only, after typing the slug; every table the organisation holds is emptied of
 * it (event and rollup tables included, which have no foreign key), other organisations keep
 * everything, its keys stop working at once, and the deletion is in the global audit chain.
 */
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { verifyApiKey } from "@/server/keys/verify";
import { verifyAuditLog } from "@/server/audit/verify";
import { callerFor, expectTRPCError, makeProject, orgWithRoles } from "./tenancy-fixtures";

/** Rows per table that carry this project's id (every table with a project_id column). */
async function rowsOf(projectId: string) {
  const { rows: tables } = await pool.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'project_id' AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table } of tables) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE project_id = $1::uuid`, [projectId]);
    if (rows[0]!.n) counts[table] = rows[0]!.n;
  }
  return counts;
}

async function seedProjectData(org: { slug: string }, projectSlug: string, owner: Parameters<typeof callerFor>[0]) {
  const key = await callerFor(owner).apiKey.create({ orgSlug: org.slug, projectSlug, name: "ingest", scope: "ingest" });
  const project = await prisma.project.findFirstOrThrow({ where: { slug: projectSlug, org: { slug: org.slug } } });
  const now = new Date();
  await pool.query(`INSERT INTO logs (project_id, time, level, message) VALUES ($1, $2, 'info', 'hello')`, [project.id, now]);
  await pool.query(`INSERT INTO rollup_watermarks (project_id, grain, folded_until, received_seen) VALUES ($1, 'minute', $2, $2)`, [project.id, now]);
  return { key, project };
}

describe("org.delete", () => {
  it("is for owners only: admins and others are refused, and nothing is deleted", async () => {
    const { org, admin, member, viewer } = await orgWithRoles();
    for (const user of [admin, member, viewer]) {
      await expectTRPCError(callerFor(user).org.delete({ orgSlug: org.slug, confirm: org.slug }), "FORBIDDEN");
    }
    expect(await prisma.organization.count({ where: { id: org.id } })).toBe(1);
  });

  it("needs the slug typed: anything else is a field error on confirm", async () => {
    const { org, owner } = await orgWithRoles();
    await expectTRPCError(callerFor(owner).org.delete({ orgSlug: org.slug, confirm: "yes" }), "BAD_REQUEST", "confirm");
    await expectTRPCError(callerFor(owner).org.delete({ orgSlug: org.slug, confirm: "" }), "BAD_REQUEST", "confirm");
    expect(await prisma.organization.count({ where: { id: org.id } })).toBe(1);
  });

  it("removes the organisation and everything it holds, leaves other organisations whole, and audits in the global chain", async () => {
    const doomed = await orgWithRoles();
    const other = await orgWithRoles();
    const project = await makeProject(doomed.org.id);
    const kept = await makeProject(other.org.id);
    const mine = await seedProjectData(doomed.org, project.slug, doomed.owner);
    const theirs = await seedProjectData(other.org, kept.slug, other.owner);
    await callerFor(doomed.owner).invitation.create({ orgSlug: doomed.org.slug, email: "someone@example.test", role: "viewer" });
    const keptBefore = await rowsOf(kept.id);
    expect(Object.keys(await rowsOf(project.id))).toEqual(expect.arrayContaining(["api_keys", "logs", "rollup_watermarks"]));

    await expect(callerFor(doomed.owner).org.delete({ orgSlug: doomed.org.slug, confirm: ` ${doomed.org.slug} ` })).resolves.toEqual({ deleted: true });

    expect(await prisma.organization.count({ where: { id: doomed.org.id } })).toBe(0);
    expect(await prisma.membership.count({ where: { orgId: doomed.org.id } })).toBe(0);
    expect(await prisma.invitation.count({ where: { orgId: doomed.org.id } })).toBe(0);
    expect(await prisma.project.count({ where: { orgId: doomed.org.id } })).toBe(0);
    expect(await rowsOf(project.id)).toEqual({});
    expect(await verifyApiKey(pool, mine.key.secret)).toBeNull();
    // The members themselves remain (they may belong elsewhere); they just lost this organisation.
    expect(await prisma.user.count({ where: { id: doomed.admin.id } })).toBe(1);
    await expectTRPCError(callerFor(doomed.owner).org.get({ orgSlug: doomed.org.slug }), "NOT_FOUND");

    expect(await rowsOf(kept.id)).toEqual(keptBefore);
    expect(await verifyApiKey(pool, theirs.key.secret)).not.toBeNull();
    expect(await prisma.organization.count({ where: { id: other.org.id } })).toBe(1);

    const record = await prisma.auditLog.findFirstOrThrow({ where: { action: "org.deleted", targetId: doomed.org.id } });
    expect(record).toMatchObject({ chain: "global", orgId: null, actorId: doomed.owner.id, targetType: "organization" });
    const lastOfChain = await prisma.auditLog.findFirstOrThrow({ where: { chain: doomed.org.id }, orderBy: { seq: "desc" } });
    expect(record.metadata).toMatchObject({ slug: doomed.org.slug, projects: 1, auditChain: { seq: lastOfChain.seq.toString(), hash: lastOfChain.hash } });
    expect((record.metadata as { rowsDeleted: Record<string, number> }).rowsDeleted).toMatchObject({ logs: 1, rollup_watermarks: 1 });
    expect((await verifyAuditLog(process.env.DATABASE_URL!)).firstBreak).toBeNull();
  });
});
