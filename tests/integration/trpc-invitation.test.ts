import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { auditCount, callerFor, expectTRPCError, makeOrg, makeUser, orgWithRoles, uniq } from "./tenancy-fixtures";

const tokenOf = (acceptUrl: string) => acceptUrl.split("/invite/")[1]!;

async function invited(role: "admin" | "member" | "viewer" = "viewer") {
  const team = await orgWithRoles();
  const invitee = await makeUser("invitee");
  const created = await callerFor(team.admin, "https://sightline.example.com").invitation.create({
    orgSlug: team.org.slug,
    email: invitee.email.toUpperCase(),
    role,
  });
  return { ...team, invitee, created, token: tokenOf(created.acceptUrl) };
}

describe("invitation.create", () => {
  it("returns a link on the caller's origin, stores only the token's hash, audits, and reports not e-mailed without Resend", async () => {
    const { org, admin, invitee, created, token } = await invited();
    expect(created.acceptUrl).toMatch(/^https:\/\/sightline\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(created.emailed).toBe(false);
    const row = await prisma.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ orgId: org.id, email: invitee.email, role: "viewer", invitedById: admin.id });
    expect(JSON.stringify(row)).not.toContain(token);
    const hours = (row.expiresAt.getTime() - row.createdAt.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(72, 1);
    expect(await auditCount(org.id, "invitation.sent", created.id)).toBe(1);
  });

  it("replaces an earlier pending invitation for the same address", async () => {
    const { org, admin, invitee, token } = await invited();
    const again = await callerFor(admin).invitation.create({ orgSlug: org.slug, email: invitee.email, role: "member" });
    expect((await callerFor(null).invitation.preview({ token })).status).toBe("revoked");
    expect((await callerFor(admin).invitation.list({ orgSlug: org.slug })).map((i) => i.id)).toEqual([again.id]);
  });

  it("rejects bad e-mails, existing members and roles above the inviter's", async () => {
    const { org, admin, member } = await orgWithRoles();
    const before = await prisma.invitation.count({ where: { orgId: org.id } });
    await expectTRPCError(callerFor(admin).invitation.create({ orgSlug: org.slug, email: "nope", role: "viewer" }), "BAD_REQUEST", "email");
    await expectTRPCError(callerFor(admin).invitation.create({ orgSlug: org.slug, email: member.email, role: "viewer" }), "CONFLICT", "email");
    await expectTRPCError(callerFor(admin).invitation.create({ orgSlug: org.slug, email: `x-${uniq()}@example.test`, role: "owner" }), "FORBIDDEN", "role");
    await expectTRPCError(
      callerFor(admin).invitation.create({ orgSlug: org.slug, email: `x-${uniq()}@example.test`, role: "king" as never }),
      "BAD_REQUEST",
      "role",
    );
    expect(await prisma.invitation.count({ where: { orgId: org.id } })).toBe(before);
  });

  it("is FORBIDDEN for members and viewers and NOT_FOUND across organisations", async () => {
    const { org, member, viewer } = await orgWithRoles();
    const other = await orgWithRoles();
    const email = `x-${uniq()}@example.test`;
    await expectTRPCError(callerFor(member).invitation.create({ orgSlug: org.slug, email, role: "viewer" }), "FORBIDDEN");
    await expectTRPCError(callerFor(viewer).invitation.create({ orgSlug: org.slug, email, role: "viewer" }), "FORBIDDEN");
    await expectTRPCError(callerFor(other.owner).invitation.create({ orgSlug: org.slug, email, role: "viewer" }), "NOT_FOUND");
    expect(await prisma.invitation.count({ where: { email } })).toBe(0);
  });
});

describe("invitation.list / revoke", () => {
  it("lists pending invitations only, with the inviter", async () => {
    const { org, admin, created, invitee } = await invited();
    const list = await callerFor(admin).invitation.list({ orgSlug: org.slug });
    expect(list).toEqual([
      {
        id: created.id,
        email: invitee.email,
        role: "viewer",
        createdAt: expect.any(Date),
        expiresAt: expect.any(Date),
        invitedBy: { name: admin.name, email: admin.email },
      },
    ]);
    await prisma.invitation.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await callerFor(admin).invitation.list({ orgSlug: org.slug })).toEqual([]);
  });

  it("revokes (audited) so the link no longer works", async () => {
    const { org, owner, created, token, invitee } = await invited();
    expect(await callerFor(owner).invitation.revoke({ orgSlug: org.slug, invitationId: created.id })).toEqual({ revoked: true });
    expect(await auditCount(org.id, "invitation.revoked", created.id)).toBe(1);
    expect((await callerFor(null).invitation.preview({ token })).status).toBe("revoked");
    await expectTRPCError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(await prisma.membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(0);
  });

  it("denies roles without members:invite and other organisations", async () => {
    const { org, member, viewer, created } = await invited();
    const other = await orgWithRoles();
    await expectTRPCError(callerFor(viewer).invitation.list({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(member).invitation.revoke({ orgSlug: org.slug, invitationId: created.id }), "FORBIDDEN");
    await expectTRPCError(callerFor(other.owner).invitation.list({ orgSlug: org.slug }), "NOT_FOUND");
    await expectTRPCError(callerFor(other.owner).invitation.revoke({ orgSlug: other.org.slug, invitationId: created.id }), "NOT_FOUND");
    await expectTRPCError(callerFor(other.owner).invitation.revoke({ orgSlug: other.org.slug, invitationId: "not-a-uuid" }), "BAD_REQUEST", "invitationId");
    expect((await prisma.invitation.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
  });
});

describe("invitation.preview / accept", () => {
  it("create → preview → accept by the invited user (e-mail case-insensitive) joins with the role", async () => {
    const { org, admin, invitee, created, token } = await invited("viewer");
    expect(await callerFor(null).invitation.preview({ token })).toEqual({
      orgName: org.name,
      email: invitee.email,
      role: "viewer",
      invitedBy: admin.name,
      status: "pending",
    });
    expect(await callerFor(invitee).invitation.accept({ token })).toEqual({ orgSlug: org.slug });
    const membership = await prisma.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: org.id, userId: invitee.id } } });
    expect(membership.role).toBe("viewer");
    expect(await auditCount(org.id, "invitation.accepted", created.id)).toBe(1);
    expect((await callerFor(null).invitation.preview({ token })).status).toBe("accepted");
    await expectTRPCError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    const asViewer = await callerFor(invitee).org.get({ orgSlug: org.slug });
    expect(asViewer.role).toBe("viewer");
    expect(asViewer.permissions).not.toContain("apiKeys:create");
  });

  it("refuses a signed-in user whose e-mail is not the invited one (FORBIDDEN), changing nothing", async () => {
    const { org, token, invitee } = await invited();
    const intruder = await makeUser("intruder");
    const shape = await expectTRPCError(callerFor(intruder).invitation.accept({ token }), "FORBIDDEN");
    expect(shape.message).toContain(invitee.email);
    expect(await prisma.membership.count({ where: { orgId: org.id, userId: intruder.id } })).toBe(0);
    expect((await callerFor(null).invitation.preview({ token })).status).toBe("pending");
  });

  it("refuses an expired invitation and shows it as expired", async () => {
    const { org, created, token, invitee } = await invited();
    await prisma.invitation.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect((await callerFor(null).invitation.preview({ token })).status).toBe("expired");
    const shape = await expectTRPCError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(shape.message).toMatch(/expired/);
    expect(await prisma.membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(0);
  });

  it("answers NOT_FOUND for an unknown token, BAD_REQUEST for an empty one, and UNAUTHORIZED to accept signed out", async () => {
    const { token } = await invited();
    await expectTRPCError(callerFor(null).invitation.preview({ token: "x".repeat(43) }), "NOT_FOUND");
    await expectTRPCError(callerFor(await makeUser("u")).invitation.accept({ token: "y".repeat(43) }), "NOT_FOUND");
    await expectTRPCError(callerFor(null).invitation.preview({ token: "" }), "BAD_REQUEST", "token");
    await expectTRPCError(callerFor(null).invitation.accept({ token }), "UNAUTHORIZED");
  });

  it("an invitation of organisation B gives no access to organisation A", async () => {
    const { token, invitee } = await invited("member");
    const a = await makeOrg(await makeUser("a-owner"));
    await callerFor(invitee).invitation.accept({ token });
    await expectTRPCError(callerFor(invitee).org.get({ orgSlug: a.slug }), "NOT_FOUND");
  });
});
