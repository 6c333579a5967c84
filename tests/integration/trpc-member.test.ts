import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { auditCount, callerFor, expectTRPCError, makeOrg, makeUser, orgWithRoles } from "./tenancy-fixtures";

const roleOf = async (orgId: string, userId: string) => (await prisma.membership.findUnique({ where: { orgId_userId: { orgId, userId } } }))?.role ?? null;

describe("member.list", () => {
  it("lists every member with e-mail, name, role and join time, to any role", async () => {
    const { org, owner, admin, member, viewer } = await orgWithRoles();
    const list = await callerFor(viewer).member.list({ orgSlug: org.slug });
    expect(new Map(list.map((m) => [m.userId, m.role]))).toEqual(
      new Map([
        [owner.id, "owner"],
        [admin.id, "admin"],
        [member.id, "member"],
        [viewer.id, "viewer"],
      ]),
    );
    expect(list.find((m) => m.userId === owner.id)).toEqual({
      userId: owner.id,
      email: owner.email,
      name: owner.name,
      role: "owner",
      joinedAt: expect.any(Date),
    });
  });

  it("is NOT_FOUND for a user of another organisation", async () => {
    const { org } = await orgWithRoles();
    const outsider = await makeUser("outsider");
    await makeOrg(outsider);
    await expectTRPCError(callerFor(outsider).member.list({ orgSlug: org.slug }), "NOT_FOUND");
  });
});

describe("member.changeRole", () => {
  it("lets an admin change a member's role and audits from/to", async () => {
    const { org, admin, member } = await orgWithRoles();
    expect(await callerFor(admin).member.changeRole({ orgSlug: org.slug, userId: member.id, role: "viewer" })).toEqual({ userId: member.id, role: "viewer" });
    expect(await roleOf(org.id, member.id)).toBe("viewer");
    const record = await prisma.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "member.role_changed", targetId: member.id } });
    expect(record.metadata).toMatchObject({ from: "member", to: "viewer", email: member.email });
    expect(record.actorId).toBe(admin.id);
  });

  it("lets nobody grant a role above their own or change someone above them", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    await expectTRPCError(callerFor(admin).member.changeRole({ orgSlug: org.slug, userId: member.id, role: "owner" }), "FORBIDDEN");
    await expectTRPCError(callerFor(admin).member.changeRole({ orgSlug: org.slug, userId: owner.id, role: "viewer" }), "FORBIDDEN");
    expect(await roleOf(org.id, member.id)).toBe("member");
    expect(await roleOf(org.id, owner.id)).toBe("owner");
  });

  it("never demotes the last owner, but does once there is a second owner", async () => {
    const { org, owner, admin } = await orgWithRoles();
    const shape = await expectTRPCError(callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: owner.id, role: "admin" }), "PRECONDITION_FAILED");
    expect(shape.message).toMatch(/last owner/);
    expect(await roleOf(org.id, owner.id)).toBe("owner");
    await callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: admin.id, role: "owner" });
    await callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: owner.id, role: "admin" });
    expect(await roleOf(org.id, owner.id)).toBe("admin");
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const { org, owner, admin } = await orgWithRoles();
    await callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: admin.id, role: "owner" });
    const results = await Promise.allSettled([
      callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: admin.id, role: "member" }),
      callerFor(admin).member.changeRole({ orgSlug: org.slug, userId: owner.id, role: "member" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.membership.count({ where: { orgId: org.id, role: "owner" } })).toBe(1);
  });

  it("rejects a bad role or user id, is FORBIDDEN for members and NOT_FOUND across organisations", async () => {
    const { org, owner, member, viewer } = await orgWithRoles();
    const other = await orgWithRoles();
    await expectTRPCError(callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: viewer.id, role: "god" as never }), "BAD_REQUEST", "role");
    await expectTRPCError(callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: "nope", role: "viewer" }), "BAD_REQUEST", "userId");
    await expectTRPCError(callerFor(member).member.changeRole({ orgSlug: org.slug, userId: viewer.id, role: "member" }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).member.changeRole({ orgSlug: other.org.slug, userId: other.viewer.id, role: "admin" }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).member.changeRole({ orgSlug: org.slug, userId: other.viewer.id, role: "admin" }), "NOT_FOUND");
    expect(await roleOf(other.org.id, other.viewer.id)).toBe("viewer");
    expect(await auditCount(other.org.id, "member.role_changed")).toBe(0);
  });
});

describe("member.remove", () => {
  it("removes a member, audits it, and the removed user loses access at once", async () => {
    const { org, admin, member } = await orgWithRoles();
    expect(await callerFor(admin).member.remove({ orgSlug: org.slug, userId: member.id })).toEqual({ removed: true });
    expect(await roleOf(org.id, member.id)).toBeNull();
    expect(await auditCount(org.id, "member.removed", member.id)).toBe(1);
    await expectTRPCError(callerFor(member).org.get({ orgSlug: org.slug }), "NOT_FOUND");
  });

  it("never removes the last owner; an admin cannot remove an owner", async () => {
    const { org, owner, admin } = await orgWithRoles();
    await expectTRPCError(callerFor(owner).member.remove({ orgSlug: org.slug, userId: owner.id }), "PRECONDITION_FAILED");
    await expectTRPCError(callerFor(admin).member.remove({ orgSlug: org.slug, userId: owner.id }), "FORBIDDEN");
    expect(await roleOf(org.id, owner.id)).toBe("owner");
  });

  it("is FORBIDDEN for members/viewers and NOT_FOUND across organisations or for non-members", async () => {
    const { org, owner, member, viewer } = await orgWithRoles();
    const other = await orgWithRoles();
    await expectTRPCError(callerFor(member).member.remove({ orgSlug: org.slug, userId: viewer.id }), "FORBIDDEN");
    await expectTRPCError(callerFor(viewer).member.remove({ orgSlug: org.slug, userId: member.id }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).member.remove({ orgSlug: other.org.slug, userId: other.member.id }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).member.remove({ orgSlug: org.slug, userId: other.member.id }), "NOT_FOUND");
    expect(await roleOf(other.org.id, other.member.id)).toBe("member");
    expect(await roleOf(org.id, viewer.id)).toBe("viewer");
  });
});
