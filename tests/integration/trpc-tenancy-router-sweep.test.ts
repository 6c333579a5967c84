/**
 * The tenancy sweep, enumerated from the router itself: every procedure of `appRouter` is either
 * scoped to an organisation (its input carries `orgSlug`, and `projectSlug` for a project) — and
 * then named with organisation B's slugs by an owner of organisation A it answers NOT_FOUND, leaks
 * nothing of B and changes nothing — or it is listed below as not tenant-scoped, with the reason.
 * A new procedure is in this sweep the moment it is in the router.
 */
import { describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { prisma } from "@/server/db/prisma";
import { callerFor, expectTRPCError, makeProject, orgWithRoles } from "./tenancy-fixtures";

/** Procedures that name no organisation, and why that is safe. */
const NOT_TENANT_SCOPED: Record<string, string> = {
  "account.signUp": "creates the caller's own account and organisation",
  "account.confirmSignUp": "addressed by an unguessable token sent to the signing-up address",
  "account.me": "the caller's own profile and memberships",
  "account.activity": "the caller's own sign-ins (no organisation's data)",
  "org.list": "the caller's own memberships",
  "org.create": "creates an organisation the caller owns",
  "invitation.preview": "addressed by an unguessable token, not by organisation",
  "invitation.accept": "addressed by an unguessable token, bound to the invitee's e-mail",
};

type Procedure = { _def: { type: string; inputs: Array<{ shape?: Record<string, unknown> }> } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures).map(([path, p]) => {
  const keys = p._def.inputs.flatMap((input) => Object.keys(input?.shape ?? {}));
  return { path, scope: keys.includes("projectSlug") ? "project" : keys.includes("orgSlug") ? "org" : null };
});

async function holdings(orgId: string) {
  const [org, memberships, projects, keys, invitations, rules, channels, audit] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: orgId } }),
    prisma.membership.findMany({ where: { orgId }, orderBy: { userId: "asc" } }),
    prisma.project.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.apiKey.findMany({ where: { project: { orgId } }, orderBy: { id: "asc" } }),
    prisma.invitation.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.alertRule.findMany({ where: { project: { orgId } }, orderBy: { id: "asc" } }),
    prisma.alertChannel.findMany({ where: { project: { orgId } }, orderBy: { id: "asc" } }),
    prisma.auditLog.count({ where: { orgId } }),
  ]);
  return { org, memberships, projects, keys, invitations, rules, channels, audit };
}

describe("tenancy sweep over every procedure in appRouter", () => {
  it("every procedure is organisation-scoped or listed as not tenant-scoped", () => {
    const unscoped = procedures.filter((p) => !p.scope).map((p) => p.path);
    expect(unscoped.sort()).toEqual(Object.keys(NOT_TENANT_SCOPED).sort());
    expect(procedures.length).toBeGreaterThan(50);
  });

  it("an owner of A naming B's organisation or project gets NOT_FOUND from each, sees nothing of B, changes nothing", async () => {
    const a = await orgWithRoles();
    const b = await orgWithRoles();
    const projectB = await makeProject(b.org.id);
    const before = await holdings(b.org.id);
    const me = callerFor(a.owner) as unknown as Record<string, unknown>;
    const secrets = [b.org.id, projectB.id, b.viewer.email, b.member.email, b.owner.email];

    for (const { path, scope } of procedures.filter((p) => p.scope)) {
      const call = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], me) as (input: unknown) => Promise<unknown>;
      const inputs =
        scope === "project"
          ? [
              { orgSlug: b.org.slug, projectSlug: projectB.slug },
              { orgSlug: a.org.slug, projectSlug: projectB.slug },
            ]
          : [{ orgSlug: b.org.slug }];
      for (const input of inputs) {
        const shape = await expectTRPCError(call(input), "NOT_FOUND").catch((error: Error) => {
          throw new Error(`${path} ${JSON.stringify(input)}: ${error.message}`);
        });
        const text = JSON.stringify(shape);
        for (const secret of secrets) expect(text, `${path} leaked ${secret}`).not.toContain(secret);
      }
    }
    expect(await holdings(b.org.id)).toEqual(before);
  });
});
