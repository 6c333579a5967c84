import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { callerFor, expectTRPCError, makeProject, orgWithRoles } from "../tenancy-fixtures";

const policyOf = (rows: Array<{ kind: string; days: number; source: string }>, kind: string) => rows.find((r) => r.kind === kind)!;

describe("retention policy per project", () => {
  it("starts at the instance defaults (30 days raw, 400 days rollups) for every role that reads", async () => {
    const { org, viewer, member } = await orgWithRoles();
    const project = await makeProject(org.id);
    for (const user of [viewer, member]) {
      const rows = await callerFor(user).lifecycle.policy({ orgSlug: org.slug, projectSlug: project.slug });
      expect(rows.map((r) => r.kind)).toEqual(["logs", "requests", "error_events", "llm_calls", "spans", "metrics", "product_events", "rollups"]);
      expect(policyOf(rows, "logs")).toMatchObject({ days: 30, source: "instance", defaultDays: 30 });
      expect(policyOf(rows, "rollups")).toMatchObject({ days: 400, source: "instance" });
    }
  });

  it("an admin overrides one kind and resets it; each change is audited with old and new values", async () => {
    const { org, admin, owner } = await orgWithRoles();
    const project = await makeProject(org.id);
    const ids = { orgSlug: org.slug, projectSlug: project.slug };
    await expect(callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "logs", days: 7 })).resolves.toMatchObject({ kind: "logs", days: 7, source: "override" });
    await callerFor(owner).lifecycle.setPolicy({ ...ids, kind: "logs", days: 14 });
    const rows = await callerFor(owner).lifecycle.policy(ids);
    expect(policyOf(rows, "logs")).toMatchObject({ days: 14, source: "override", defaultDays: 30 });
    expect(policyOf(rows, "spans")).toMatchObject({ days: 30, source: "instance" });

    await callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "logs", days: null });
    expect(policyOf(await callerFor(owner).lifecycle.policy(ids), "logs")).toMatchObject({ days: 30, source: "instance" });

    const audit = await prisma.auditLog.findMany({ where: { orgId: org.id, targetId: project.id, action: "settings.changed" }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.metadata)).toEqual([
      { change: "retention.changed", kind: "logs", old: { days: 30, overridden: false }, new: { days: 7, overridden: true } },
      { change: "retention.changed", kind: "logs", old: { days: 7, overridden: true }, new: { days: 14, overridden: true } },
      { change: "retention.changed", kind: "logs", old: { days: 14, overridden: true }, new: { days: 30, overridden: false } },
    ]);
    expect(audit.map((a) => a.actorId)).toEqual([admin.id, owner.id, admin.id]);
  });

  it("members and viewers cannot write; out-of-range days and unknown kinds are refused naming the field", async () => {
    const { org, admin, member, viewer } = await orgWithRoles();
    const project = await makeProject(org.id);
    const ids = { orgSlug: org.slug, projectSlug: project.slug };
    for (const user of [member, viewer]) await expectTRPCError(callerFor(user).lifecycle.setPolicy({ ...ids, kind: "logs", days: 5 }), "FORBIDDEN");
    await expectTRPCError(callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "logs", days: 0 }), "BAD_REQUEST", "days");
    await expectTRPCError(callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "logs", days: 3651 }), "BAD_REQUEST", "days");
    await expectTRPCError(callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "logs", days: 1.5 }), "BAD_REQUEST", "days");
    await expectTRPCError(callerFor(admin).lifecycle.setPolicy({ ...ids, kind: "audit" as "logs", days: 400 }), "BAD_REQUEST", "kind");
    expect(await prisma.retentionPolicy.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("a project's override never changes another project's policy", async () => {
    const { org, owner } = await orgWithRoles();
    const [p1, p2] = [await makeProject(org.id), await makeProject(org.id)];
    await callerFor(owner).lifecycle.setPolicy({ orgSlug: org.slug, projectSlug: p1.slug, kind: "requests", days: 3 });
    expect(policyOf(await callerFor(owner).lifecycle.policy({ orgSlug: org.slug, projectSlug: p2.slug }), "requests").days).toBe(30);
  });
});

describe("retention defaults from the environment", () => {
  const loadEnv = (vars: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "-e", "await import('./src/server/env.ts')"], {
      env: { ...process.env, ...vars },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("refuses a default outside 1..3650 days, naming the variable", () => {
    for (const [name, value, reason] of [
      ["RETENTION_LOGS_DAYS", "0", "at least 1"],
      ["RETENTION_DEFAULT_DAYS", "4000", "at most 3650"],
      ["RETENTION_ROLLUPS_DAYS", "x", "whole number"],
      ["RETENTION_AUDIT_DAYS", "100", "at least 365 days (the audit log's minimum)"],
    ] as const) {
      const r = loadEnv({ [name]: value });
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toContain(name);
      expect(r.stderr).toContain(reason);
    }
    expect(loadEnv({ RETENTION_LOGS_DAYS: "7", RETENTION_ROLLUPS_DAYS: "730" }).status).toBe(0);
  }, 240_000);
});
