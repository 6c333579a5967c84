import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { callerFor, expectTRPCError, makeProject, orgWithRoles, uniq } from "./tenancy-fixtures";

/** Everything organisation B holds, to prove a sweep of calls from organisation A changed nothing. */
async function snapshot(orgId: string) {
  const [org, memberships, projects, keys, invitations, audit] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: orgId } }),
    prisma.membership.findMany({ where: { orgId }, orderBy: { userId: "asc" } }),
    prisma.project.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.apiKey.findMany({ where: { project: { orgId } }, orderBy: { id: "asc" } }),
    prisma.invitation.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.auditLog.count({ where: { orgId } }),
  ]);
  return { org, memberships, projects, keys, invitations, audit };
}

describe("tenancy: an owner of organisation A naming B's members, invitations and keys through A", () => {
  it("gets NOT_FOUND, sees none of B's data, and changes nothing", async () => {
    const a = await orgWithRoles();
    const b = await orgWithRoles();
    const projectA = await makeProject(a.org.id);
    const projectB = await makeProject(b.org.id);
    const keyB = await callerFor(b.owner).apiKey.create({ orgSlug: b.org.slug, projectSlug: projectB.slug, name: "b", scope: "ingest" });
    const inviteB = await callerFor(b.owner).invitation.create({ orgSlug: b.org.slug, email: `inv-${uniq()}@example.test`, role: "viewer" });
    const before = await snapshot(b.org.id);

    // Every procedure named with B's slugs is swept from the router itself (trpc-tenancy-router-sweep);
    // these are the calls a generic sweep cannot make: B's own ids passed through A's slugs.
    const me = callerFor(a.owner);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["member.changeRole (B's user via A)", () => me.member.changeRole({ orgSlug: a.org.slug, userId: b.viewer.id, role: "admin" })],
      ["member.remove (B's user via A)", () => me.member.remove({ orgSlug: a.org.slug, userId: b.member.id })],
      ["invitation.revoke (B's invitation via A)", () => me.invitation.revoke({ orgSlug: a.org.slug, invitationId: inviteB.id })],
      ["apiKey.revoke (B's key in A's project)", () => me.apiKey.revoke({ orgSlug: a.org.slug, projectSlug: projectA.slug, keyId: keyB.id })],
      ["apiKey.revoke (unknown key)", () => me.apiKey.revoke({ orgSlug: a.org.slug, projectSlug: projectA.slug, keyId: randomUUID() })],
    ];

    for (const [name, call] of calls) {
      const shape = await expectTRPCError(call(), "NOT_FOUND").catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
      const text = JSON.stringify(shape);
      for (const secret of [b.org.id, projectB.id, keyB.id, b.viewer.email, b.member.email]) {
        expect(text, `${name} leaked ${secret}`).not.toContain(secret);
      }
    }
    expect(await snapshot(b.org.id)).toEqual(before);
  });
});

describe("bad organisation/project slugs in any procedure", () => {
  it("answer BAD_REQUEST naming orgSlug/projectSlug before anything is looked up", async () => {
    const a = await orgWithRoles();
    const me = callerFor(a.owner);
    const badOrg = { orgSlug: "o".repeat(49) };
    const badProject = { orgSlug: a.org.slug, projectSlug: "" };
    const orgCalls = [
      () => me.org.get(badOrg),
      () => me.org.update({ ...badOrg, name: "x" }),
      () => me.project.list(badOrg),
      () => me.project.create({ ...badOrg, name: "x" }),
      () => me.member.list(badOrg),
      () => me.invitation.list(badOrg),
      () => me.audit.list(badOrg),
      () => me.audit.actions(badOrg),
    ];
    for (const call of orgCalls) await expectTRPCError(call(), "BAD_REQUEST", "orgSlug");
    const projectCalls = [
      () => me.project.get(badProject),
      () => me.project.update({ ...badProject, name: "x" }),
      () => me.project.delete(badProject),
      () => me.apiKey.list(badProject),
      () => me.apiKey.create({ ...badProject, name: "x", scope: "read" }),
    ];
    for (const call of projectCalls) await expectTRPCError(call(), "BAD_REQUEST", "projectSlug");
  });
});
