import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { prisma } from "@/server/db/prisma";
import { createApiKey } from "@/server/keys/create";
import { verifyApiKey } from "@/server/keys/verify";
import { actorOf, auditCount, callerFor, expectTRPCError, makeOrg, makeProject, makeUser, orgWithRoles, uniq } from "./tenancy-fixtures";

async function twoOrgs() {
  const a = await orgWithRoles();
  const b = await orgWithRoles();
  const projectB = await makeProject(b.org.id);
  return { a, b, projectB };
}

describe("project.list", () => {
  it("lists the organisation's projects to every role, and only that organisation's", async () => {
    const { a, projectB } = await twoOrgs();
    const p = await makeProject(a.org.id);
    const list = await callerFor(a.viewer).project.list({ orgSlug: a.org.slug });
    expect(list.map((x) => x.id)).toEqual([p.id]);
    expect(list.map((x) => x.id)).not.toContain(projectB.id);
  });

  it("answers NOT_FOUND when naming another organisation", async () => {
    const { a, b } = await twoOrgs();
    await expectTRPCError(callerFor(a.owner).project.list({ orgSlug: b.org.slug }), "NOT_FOUND");
    await expectTRPCError(callerFor(a.owner).project.list({ orgSlug: "" }), "BAD_REQUEST", "orgSlug");
  });
});

describe("project.create", () => {
  it("creates with a slug from the name and audits project.created", async () => {
    const { org, admin } = await orgWithRoles();
    const created = await callerFor(admin).project.create({ orgSlug: org.slug, name: "Checkout API" });
    expect(created.slug).toBe("checkout-api");
    expect(await auditCount(org.id, "project.created", created.id)).toBe(1);
    expect((await callerFor(admin).project.create({ orgSlug: org.slug, name: "Checkout API" })).slug).toBe("checkout-api-2");
    expect((await callerFor(admin).project.create({ orgSlug: org.slug, name: "Settings" })).slug).toBe("settings-2");
  });

  it("refuses a taken slug (CONFLICT), a reserved or malformed slug and a bad name (BAD_REQUEST)", async () => {
    const { org, owner } = await orgWithRoles();
    const caller = callerFor(owner);
    await caller.project.create({ orgSlug: org.slug, name: "Web", slug: "web-app" });
    await expectTRPCError(caller.project.create({ orgSlug: org.slug, name: "Web", slug: "web-app" }), "CONFLICT", "slug");
    await expectTRPCError(caller.project.create({ orgSlug: org.slug, name: "Web", slug: "settings" }), "BAD_REQUEST", "slug");
    await expectTRPCError(caller.project.create({ orgSlug: org.slug, name: "Web", slug: "-x-" }), "BAD_REQUEST", "slug");
    await expectTRPCError(caller.project.create({ orgSlug: org.slug, name: "y".repeat(101) }), "BAD_REQUEST", "name");
    expect(await prisma.project.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("is FORBIDDEN for members and viewers, NOT_FOUND for outsiders", async () => {
    const { a, b } = await twoOrgs();
    await expectTRPCError(callerFor(a.member).project.create({ orgSlug: a.org.slug, name: "Nope" }), "FORBIDDEN");
    await expectTRPCError(callerFor(a.viewer).project.create({ orgSlug: a.org.slug, name: "Nope" }), "FORBIDDEN");
    await expectTRPCError(callerFor(a.owner).project.create({ orgSlug: b.org.slug, name: "Nope" }), "NOT_FOUND");
    expect(await prisma.project.count({ where: { orgId: a.org.id } })).toBe(0);
    expect(await prisma.project.count({ where: { orgId: b.org.id } })).toBe(1);
  });
});

describe("project.get", () => {
  it("returns the project to any member", async () => {
    const { org, viewer } = await orgWithRoles();
    const p = await makeProject(org.id);
    expect(await callerFor(viewer).project.get({ orgSlug: org.slug, projectSlug: p.slug })).toEqual({
      id: p.id,
      slug: p.slug,
      name: p.name,
      createdAt: expect.any(Date),
    });
  });

  it("never returns a project of organisation B, whichever org slug is named", async () => {
    const { a, b, projectB } = await twoOrgs();
    await expectTRPCError(callerFor(a.owner).project.get({ orgSlug: a.org.slug, projectSlug: projectB.slug }), "NOT_FOUND");
    await expectTRPCError(callerFor(a.owner).project.get({ orgSlug: b.org.slug, projectSlug: projectB.slug }), "NOT_FOUND");
  });
});

describe("project.update", () => {
  it("renames for admins and audits project.updated", async () => {
    const { org, admin } = await orgWithRoles();
    const p = await makeProject(org.id);
    const updated = await callerFor(admin).project.update({ orgSlug: org.slug, projectSlug: p.slug, name: "New name" });
    expect(updated).toMatchObject({ id: p.id, slug: p.slug, name: "New name" });
    expect(await auditCount(org.id, "project.updated", p.id)).toBe(1);
    await expectTRPCError(callerFor(admin).project.update({ orgSlug: org.slug, projectSlug: p.slug, name: "" }), "BAD_REQUEST", "name");
  });

  it("is FORBIDDEN for members, NOT_FOUND across organisations; nothing changes", async () => {
    const { a, projectB, b } = await twoOrgs();
    const p = await makeProject(a.org.id);
    await expectTRPCError(callerFor(a.member).project.update({ orgSlug: a.org.slug, projectSlug: p.slug, name: "x" }), "FORBIDDEN");
    await expectTRPCError(callerFor(a.owner).project.update({ orgSlug: a.org.slug, projectSlug: projectB.slug, name: "x" }), "NOT_FOUND");
    await expectTRPCError(callerFor(a.owner).project.update({ orgSlug: b.org.slug, projectSlug: projectB.slug, name: "x" }), "NOT_FOUND");
    expect((await prisma.project.findUniqueOrThrow({ where: { id: projectB.id } })).name).toBe(projectB.name);
  });
});

describe("project.delete", () => {
  it("deletes for admins, cascades keys (which stop verifying at once) and audits project.deleted", async () => {
    const { org, admin, owner } = await orgWithRoles();
    const p = await makeProject(org.id);
    const key = await createApiKey({ seesSpend: true, project: p, input: { name: "k", scope: "ingest" }, actor: actorOf(owner) });
    expect(await verifyApiKey(pool, key.secret)).not.toBeNull();
    expect(await callerFor(admin).project.delete({ orgSlug: org.slug, projectSlug: p.slug })).toEqual({ deleted: true });
    expect(await prisma.project.findUnique({ where: { id: p.id } })).toBeNull();
    expect(await verifyApiKey(pool, key.secret)).toBeNull();
    expect(await auditCount(org.id, "project.deleted", p.id)).toBe(1);
  });

  it("deletes the project's events and rollups (no foreign key reaches them) and leaves other projects' rows", async () => {
    const { org, admin } = await orgWithRoles();
    const p = await makeProject(org.id);
    const sibling = await makeProject(org.id);
    for (const id of [p.id, sibling.id]) {
      await pool.query(`INSERT INTO logs (project_id, time, level, message) VALUES ($1, now(), 'info', 'hello')`, [id]);
      await pool.query(`INSERT INTO rollup_watermarks (project_id, grain, folded_until, received_seen) VALUES ($1, 'minute', now(), now())`, [id]);
    }
    await callerFor(admin).project.delete({ orgSlug: org.slug, projectSlug: p.slug });
    const left = async (id: string) =>
      (
        await pool.query<{ logs: number; marks: number }>(
          `SELECT (SELECT count(*)::int FROM logs WHERE project_id = $1) AS logs, (SELECT count(*)::int FROM rollup_watermarks WHERE project_id = $1) AS marks`,
          [id],
        )
      ).rows[0];
    expect(await left(p.id)).toEqual({ logs: 0, marks: 0 });
    expect(await left(sibling.id)).toEqual({ logs: 1, marks: 1 });
    const record = await prisma.auditLog.findFirstOrThrow({ where: { action: "project.deleted", targetId: p.id } });
    expect(record.metadata).toMatchObject({ rowsDeleted: { logs: 1, rollup_watermarks: 1 } });
  });

  it("is FORBIDDEN without projects:delete and NOT_FOUND across organisations", async () => {
    const { a, b, projectB } = await twoOrgs();
    const p = await makeProject(a.org.id);
    await expectTRPCError(callerFor(a.member).project.delete({ orgSlug: a.org.slug, projectSlug: p.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(a.viewer).project.delete({ orgSlug: a.org.slug, projectSlug: p.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(a.owner).project.delete({ orgSlug: b.org.slug, projectSlug: projectB.slug }), "NOT_FOUND");
    await expectTRPCError(callerFor(a.owner).project.delete({ orgSlug: a.org.slug, projectSlug: projectB.slug }), "NOT_FOUND");
    expect(await prisma.project.count({ where: { id: { in: [p.id, projectB.id] } } })).toBe(2);
  });
});

describe("project slugs are per organisation", () => {
  it("lets two organisations use the same project slug", async () => {
    const u1 = await makeUser("u1");
    const u2 = await makeUser("u2");
    const o1 = await makeOrg(u1);
    const o2 = await makeOrg(u2);
    const slug = `shared-${uniq()}`;
    await callerFor(u1).project.create({ orgSlug: o1.slug, name: "A", slug });
    await callerFor(u2).project.create({ orgSlug: o2.slug, name: "B", slug });
    expect((await callerFor(u1).project.get({ orgSlug: o1.slug, projectSlug: slug })).name).toBe("A");
    expect((await callerFor(u2).project.get({ orgSlug: o2.slug, projectSlug: slug })).name).toBe("B");
  });
});
