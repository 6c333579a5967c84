import { describe, expect, it } from "vitest";
import { verifyCheckpoint } from "@sightline/node/audit";
import { recordAudit } from "@/server/audit/record";
import { callerFor, expectTRPCError, makeProject, orgWithRoles } from "./tenancy-fixtures";

describe("audit.list / audit.actions", () => {
  it("shows owners and admins the organisation's records newest first, with filters and a cursor", async () => {
    const { org, owner, admin } = await orgWithRoles();
    const project = await makeProject(org.id);
    const at = { orgSlug: org.slug, projectSlug: project.slug };
    const key = await callerFor(admin).apiKey.create({ ...at, name: "k", scope: "ingest" });
    await callerFor(owner).apiKey.revoke({ ...at, keyId: key.id });
    await callerFor(owner).org.update({ orgSlug: org.slug, timeZone: "Asia/Tokyo" });

    const all = await callerFor(admin).audit.list({ orgSlug: org.slug });
    expect(all.items.map((i) => i.action)).toEqual(["settings.changed", "api_key.revoked", "api_key.created"]);
    expect(all.items[0]).toMatchObject({ actorEmail: owner.email, ip: "203.0.113.7", userAgent: "vitest", targetType: "organization" });
    expect(all.nextCursor).toBeNull();

    const created = await callerFor(owner).audit.list({ orgSlug: org.slug, action: "api_key.created" });
    expect(created.items.map((i) => i.targetId)).toEqual([key.id]);
    const byAdmin = await callerFor(owner).audit.list({ orgSlug: org.slug, actorEmail: admin.email.slice(0, 12).toUpperCase() });
    expect(byAdmin.items.map((i) => i.action)).toEqual(["api_key.created"]);

    const page1 = await callerFor(owner).audit.list({ orgSlug: org.slug, limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await callerFor(owner).audit.list({ orgSlug: org.slug, limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((i) => i.action)).toEqual(["api_key.created"]);
    expect(page2.nextCursor).toBeNull();

    expect(await callerFor(owner).audit.actions({ orgSlug: org.slug })).toEqual(["api_key.created", "api_key.revoked", "settings.changed"]);
  });

  it("shows no member's account events (sign-ins, with their IPs); each user sees their own on their account", async () => {
    const { org, owner, member } = await orgWithRoles();
    const stranger = await orgWithRoles();
    await recordAudit({ action: "user.signed_in", actorId: member.id, actorEmail: member.email, ip: "203.0.113.9", userAgent: "home laptop" });
    await recordAudit({ action: "user.sign_in_failed", actorEmail: member.email.toUpperCase(), ip: "198.51.100.4" });
    await recordAudit({ action: "user.signed_in", actorId: stranger.owner.id, actorEmail: stranger.owner.email });
    const items = (await callerFor(owner).audit.list({ orgSlug: org.slug })).items;
    expect(items.filter((i) => i.action.startsWith("user."))).toEqual([]);
    expect(await callerFor(owner).audit.actions({ orgSlug: org.slug })).not.toContain("user.signed_in");
    const own = await callerFor(member).account.activity();
    expect(own.map((e) => [e.action, e.ip])).toEqual([
      ["user.sign_in_failed", "198.51.100.4"],
      ["user.signed_in", "203.0.113.9"],
    ]);
    expect((await callerFor(stranger.owner).account.activity()).map((e) => e.action)).toEqual(["user.signed_in"]);
  });

  it("rejects bad input and is FORBIDDEN for members and viewers, NOT_FOUND across organisations", async () => {
    const { org, owner, member, viewer } = await orgWithRoles();
    const other = await orgWithRoles();
    await callerFor(other.owner).org.update({ orgSlug: other.org.slug, name: "Secret name" });
    await expectTRPCError(callerFor(owner).audit.list({ orgSlug: org.slug, limit: 0 }), "BAD_REQUEST", "limit");
    await expectTRPCError(callerFor(owner).audit.list({ orgSlug: org.slug, cursor: "abc" }), "BAD_REQUEST", "cursor");
    await expectTRPCError(callerFor(member).audit.list({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(viewer).audit.actions({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).audit.list({ orgSlug: other.org.slug }), "NOT_FOUND");
    await expectTRPCError(callerFor(owner).audit.actions({ orgSlug: other.org.slug }), "NOT_FOUND");
    expect((await callerFor(owner).audit.list({ orgSlug: org.slug })).items).toEqual([]);
  });
});

describe("audit.verification / audit.checkpointNow", () => {
  it("signs the organisation's chain on demand; the checkpoint verifies offline with the verifier key shown, and covers every entry", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const other = await orgWithRoles();
    await callerFor(owner).org.update({ orgSlug: org.slug, timeZone: "Asia/Tokyo" });
    const before = await callerFor(admin).audit.verification({ orgSlug: org.slug });
    expect(before.latest).toBeNull();
    expect(before.entries).toBeGreaterThan(0);

    expect(await callerFor(admin).audit.checkpointNow({ orgSlug: org.slug })).toEqual({ checkpointed: true });
    expect(await callerFor(admin).audit.checkpointNow({ orgSlug: org.slug })).toEqual({ checkpointed: false });
    const after = await callerFor(owner).audit.verification({ orgSlug: org.slug });
    expect(after.latest?.treeSize).toBe(after.entries);
    const check = verifyCheckpoint(after.latest!.note, after.verifierKey);
    expect(check).toMatchObject({ ok: true, checkpoint: { size: after.entries, origin: expect.stringMatching(new RegExp(`/${org.id}$`)) } });
    expect((await callerFor(other.owner).audit.verification({ orgSlug: other.org.slug })).latest).toBeNull();

    await expectTRPCError(callerFor(member).audit.verification({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(member).audit.checkpointNow({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(callerFor(owner).audit.checkpointNow({ orgSlug: other.org.slug }), "NOT_FOUND");
  });
});
