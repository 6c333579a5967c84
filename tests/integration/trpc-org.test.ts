import { describe, expect, it } from "vitest";
import { ACTIONS, can } from "@/server/auth/permissions";
import { prisma } from "@/server/db/prisma";
import { auditCount, callerFor, expectTRPCError, makeOrg, makeUser, orgWithRoles, uniq } from "./tenancy-fixtures";

describe("org.list / org.create", () => {
  it("lists only the caller's organisations", async () => {
    const user = await makeUser("lister");
    const mine = await makeOrg(user);
    await makeOrg(await makeUser("stranger"));
    expect(await callerFor(user).org.list()).toEqual([{ slug: mine.slug, name: mine.name, role: "owner" }]);
  });

  it("creates an organisation with a slug from the name, the caller as owner, and audits it", async () => {
    const user = await makeUser("creator");
    const name = `Acme Ünïcode ${uniq()}`;
    const { slug } = await callerFor(user).org.create({ name });
    expect(slug).toMatch(/^acme-unicode-[0-9a-f]{8}$/);
    const org = await prisma.organization.findUniqueOrThrow({ where: { slug }, include: { memberships: true } });
    expect(org.memberships).toEqual([expect.objectContaining({ userId: user.id, role: "owner" })]);
    expect(await auditCount(org.id, "org.created", org.id)).toBe(1);
    const again = await callerFor(user).org.create({ name });
    expect(again.slug).toBe(`${slug}-2`);
  });

  it("uses an explicit slug, refuses a taken (CONFLICT) or reserved/malformed one (BAD_REQUEST)", async () => {
    const user = await makeUser("slugger");
    const slug = `team-${uniq()}`;
    expect(await callerFor(user).org.create({ name: "Team", slug })).toEqual({ slug });
    const before = await prisma.organization.count();
    await expectTRPCError(callerFor(user).org.create({ name: "Team", slug }), "CONFLICT", "slug");
    await expectTRPCError(callerFor(user).org.create({ name: "Team", slug: "signin" }), "BAD_REQUEST", "slug");
    await expectTRPCError(callerFor(user).org.create({ name: "Team", slug: "Bad Slug" }), "BAD_REQUEST", "slug");
    await expectTRPCError(callerFor(user).org.create({ name: "Team", slug: "ab" }), "BAD_REQUEST", "slug");
    await expectTRPCError(callerFor(user).org.create({ name: "x".repeat(101) }), "BAD_REQUEST", "name");
    await expectTRPCError(callerFor(user).org.create({ name: "" }), "BAD_REQUEST", "name");
    expect(await prisma.organization.count()).toBe(before);
  });

  it("pads names that yield too short a slug", async () => {
    const user = await makeUser("short");
    const { slug } = await callerFor(user).org.create({ name: "☕" });
    expect(slug).toMatch(/^org-[0-9a-f]{6}$/);
  });

  it("requires sign-in", async () => {
    await expectTRPCError(callerFor(null).org.list(), "UNAUTHORIZED");
    await expectTRPCError(callerFor(null).org.create({ name: "x" }), "UNAUTHORIZED");
  });
});

describe("org.get", () => {
  it("returns the organisation with the caller's role and exactly the permitted actions", async () => {
    const { org, viewer, owner } = await orgWithRoles();
    const asViewer = await callerFor(viewer).org.get({ orgSlug: org.slug });
    expect(asViewer).toMatchObject({ id: org.id, slug: org.slug, name: org.name, timeZone: "UTC", role: "viewer" });
    expect(asViewer.permissions).toEqual(ACTIONS.filter((a) => can("viewer", a)));
    expect(asViewer.permissions).not.toContain("apiKeys:create");
    expect((await callerFor(owner).org.get({ orgSlug: org.slug })).permissions).toEqual([...ACTIONS]);
  });

  it("reflects the organisation's policy: without spend access for viewers, spend:read is not listed", async () => {
    const { org, viewer, member } = await orgWithRoles();
    await prisma.organization.update({ where: { id: org.id }, data: { spendReadRoles: ["admin"] } });
    expect((await callerFor(viewer).org.get({ orgSlug: org.slug })).permissions).not.toContain("spend:read");
    expect((await callerFor(member).org.get({ orgSlug: org.slug })).permissions).not.toContain("spend:read");
    await prisma.organization.update({ where: { id: org.id }, data: { spendReadRoles: ["admin", "viewer"] } });
    expect((await callerFor(viewer).org.get({ orgSlug: org.slug })).permissions).toContain("spend:read");
  });

  it("answers NOT_FOUND to a non-member and for an unknown slug", async () => {
    const { org } = await orgWithRoles();
    const outsider = await makeUser("outsider");
    await makeOrg(outsider);
    const shape = await expectTRPCError(callerFor(outsider).org.get({ orgSlug: org.slug }), "NOT_FOUND");
    expect(JSON.stringify(shape)).not.toContain(org.id);
    await expectTRPCError(callerFor(outsider).org.get({ orgSlug: "no-such-org-anywhere" }), "NOT_FOUND");
  });
});

describe("org.update", () => {
  it("renames (org.updated) and changes the time zone (settings.changed) for admins", async () => {
    const { org, admin } = await orgWithRoles();
    const updated = await callerFor(admin).org.update({ orgSlug: org.slug, name: "Renamed", timeZone: "Europe/Berlin" });
    expect(updated).toMatchObject({ name: "Renamed", timeZone: "Europe/Berlin", slug: org.slug });
    expect(await auditCount(org.id, "org.updated", org.id)).toBe(1);
    expect(await auditCount(org.id, "settings.changed", org.id)).toBe(1);
    const record = await prisma.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "settings.changed" } });
    expect(record.metadata).toEqual({ timeZone: { from: "UTC", to: "Europe/Berlin" } });
  });

  it("rejects an unknown time zone, an over-long name and an empty change", async () => {
    const { org, owner } = await orgWithRoles();
    await expectTRPCError(callerFor(owner).org.update({ orgSlug: org.slug, timeZone: "Mars/Olympus" }), "BAD_REQUEST", "timeZone");
    await expectTRPCError(callerFor(owner).org.update({ orgSlug: org.slug, name: "x".repeat(101) }), "BAD_REQUEST", "name");
    await expectTRPCError(callerFor(owner).org.update({ orgSlug: org.slug }), "BAD_REQUEST");
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ name: org.name, timeZone: "UTC" });
  });

  it("is FORBIDDEN for members and viewers and NOT_FOUND for outsiders; nothing changes", async () => {
    const { org, member, viewer } = await orgWithRoles();
    const outsider = await makeUser("outsider");
    await expectTRPCError(callerFor(member).org.update({ orgSlug: org.slug, name: "Nope" }), "FORBIDDEN");
    await expectTRPCError(callerFor(viewer).org.update({ orgSlug: org.slug, name: "Nope" }), "FORBIDDEN");
    await expectTRPCError(callerFor(outsider).org.update({ orgSlug: org.slug, name: "Nope" }), "NOT_FOUND");
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe(org.name);
    expect(await auditCount(org.id, "org.updated")).toBe(0);
  });
});
