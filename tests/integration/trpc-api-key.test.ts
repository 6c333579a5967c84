import { pool } from "@/server/db/pool";
import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { verifyApiKey } from "@/server/keys/verify";
import { auditCount, callerFor, expectTRPCError, makeProject, orgWithRoles } from "./tenancy-fixtures";

async function teamWithProject() {
  const team = await orgWithRoles();
  const project = await makeProject(team.org.id);
  return { ...team, project, at: { orgSlug: team.org.slug, projectSlug: project.slug } };
}

describe("apiKey.create", () => {
  it("returns the secret once (only its hash is stored), audits, and the key verifies", async () => {
    const { org, project, admin, at } = await teamWithProject();
    const created = await callerFor(admin).apiKey.create({ ...at, name: "Production", scope: "ingest" });
    expect(created.secret).toMatch(/^sl_ingest_[0-9A-Za-z]{40}$/);
    expect(created.prefix).toBe(created.secret.slice(0, 22));
    expect(await verifyApiKey(pool, created.secret)).toMatchObject({ keyId: created.id, projectId: project.id, orgId: org.id, scope: "ingest" });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).not.toBe(created.secret);
    expect(await auditCount(org.id, "api_key.created", created.id)).toBe(1);
  });

  it("rejects a missing name, an over-long name and an unknown scope", async () => {
    const { admin, at, project } = await teamWithProject();
    await expectTRPCError(callerFor(admin).apiKey.create({ ...at, name: " ", scope: "read" }), "BAD_REQUEST", "name");
    await expectTRPCError(callerFor(admin).apiKey.create({ ...at, name: "n".repeat(101), scope: "read" }), "BAD_REQUEST", "name");
    await expectTRPCError(callerFor(admin).apiKey.create({ ...at, name: "x", scope: "admin" as never }), "BAD_REQUEST", "scope");
    expect(await prisma.apiKey.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("is FORBIDDEN for members and viewers, NOT_FOUND for another organisation's project", async () => {
    const { member, viewer, owner, at, org } = await teamWithProject();
    const other = await teamWithProject();
    await expectTRPCError(callerFor(member).apiKey.create({ ...at, name: "x", scope: "ingest" }), "FORBIDDEN");
    await expectTRPCError(callerFor(viewer).apiKey.create({ ...at, name: "x", scope: "ingest" }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).apiKey.create({ ...other.at, name: "x", scope: "ingest" }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).apiKey.create({ orgSlug: org.slug, projectSlug: other.project.slug, name: "x", scope: "ingest" }), "NOT_FOUND");
    expect(await prisma.apiKey.count({ where: { projectId: { in: [other.project.id] } } })).toBe(0);
  });
});

describe("apiKey.list", () => {
  it("lists prefix, scope, creator, times — never the secret or hash — to members", async () => {
    const { admin, member, at } = await teamWithProject();
    const created = await callerFor(admin).apiKey.create({ ...at, name: "CI", scope: "read" });
    const list = await callerFor(member).apiKey.list(at);
    expect(list).toEqual([
      {
        id: created.id,
        name: "CI",
        scope: "read",
        prefix: created.prefix,
        createdBy: { name: admin.name, email: admin.email },
        createdAt: expect.any(Date),
        lastUsedAt: null,
        revokedAt: null,
        seesSpend: true, // admins see spend under the default policy
      },
    ]);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(list)).not.toContain(row.secretHash);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    await verifyApiKey(pool, created.secret);
    expect((await callerFor(member).apiKey.list(at))[0]!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("is FORBIDDEN for viewers and NOT_FOUND across organisations", async () => {
    const { viewer, owner, at } = await teamWithProject();
    const other = await teamWithProject();
    await callerFor(other.owner).apiKey.create({ ...other.at, name: "theirs", scope: "ingest" });
    await expectTRPCError(callerFor(viewer).apiKey.list(at), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).apiKey.list(other.at), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).apiKey.list({ orgSlug: at.orgSlug, projectSlug: other.project.slug }), "NOT_FOUND");
  });
});

describe("apiKey.revoke", () => {
  it("revokes so the key fails at once, audits, and the list shows revokedAt", async () => {
    const { org, admin, at } = await teamWithProject();
    const created = await callerFor(admin).apiKey.create({ ...at, name: "Old", scope: "ingest" });
    expect(await verifyApiKey(pool, created.secret)).not.toBeNull();
    await callerFor(admin).apiKey.revoke({ ...at, keyId: created.id });
    expect(await verifyApiKey(pool, created.secret)).toBeNull();
    expect(await auditCount(org.id, "api_key.revoked", created.id)).toBe(1);
    expect((await callerFor(admin).apiKey.list(at))[0]!.revokedAt).toBeInstanceOf(Date);
  });

  it("is FORBIDDEN for members, NOT_FOUND for another project's key, BAD_REQUEST for a malformed id; the key keeps working", async () => {
    const { member, owner, at } = await teamWithProject();
    const other = await teamWithProject();
    const theirs = await callerFor(other.owner).apiKey.create({ ...other.at, name: "theirs", scope: "ingest" });
    const mine = await callerFor(owner).apiKey.create({ ...at, name: "mine", scope: "ingest" });
    await expectTRPCError(callerFor(member).apiKey.revoke({ ...at, keyId: mine.id }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).apiKey.revoke({ ...at, keyId: theirs.id }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).apiKey.revoke({ ...other.at, keyId: theirs.id }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).apiKey.revoke({ ...at, keyId: "abc" }), "BAD_REQUEST", "keyId");
    expect(await verifyApiKey(pool, theirs.secret)).not.toBeNull();
    expect(await verifyApiKey(pool, mine.secret)).not.toBeNull();
  });
});
