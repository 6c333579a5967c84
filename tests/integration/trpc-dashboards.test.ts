import { beforeAll, describe, expect, it } from "vitest";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { dashboardsRouter } from "@/server/api/routers/dashboards";
import { prisma } from "@/server/db/prisma";
import { RANGE, seedDataset } from "./metrics-fixtures";
import { auditCount, contextFor, expectTRPCError, makeOrg, makeProject, makeUser, orgWithRoles, type TestUser } from "./tenancy-fixtures";

// root.ts is the lead's to edit; the router is mounted here the way root.ts will mount it.
const router = createTRPCRouter({ dashboards: dashboardsRouter });
const callerFor = (user: TestUser) => createCallerFactory(router)(contextFor(user)).dashboards;

let fx: Awaited<ReturnType<typeof orgWithRoles>>;
let scope: { orgSlug: string; projectSlug: string };
let groups: { g1: string; g2: string };

beforeAll(async () => {
  fx = await orgWithRoles();
  const project = await makeProject(fx.org.id);
  scope = { orgSlug: fx.org.slug, projectSlug: project.slug };
  groups = await seedDataset(project.id);
});

const range = () => ({ ...scope, ...RANGE });
const reads = (c: ReturnType<typeof callerFor>): Array<() => Promise<unknown>> => [
  () => c.overview(range()),
  () => c.performance(range()),
  () => c.llm(range()),
  () => c.users(range()),
  () => c.errors.list(range()),
  () => c.errors.get({ ...range(), groupId: groups.g1 }),
  () => c.explore.logs({ ...scope, from: RANGE.from, to: RANGE.to }),
  () => c.explore.traces({ ...scope, from: RANGE.from, to: RANGE.to }),
];

describe("dashboards router: tenancy", () => {
  it("answers NOT_FOUND to every procedure for a member of another organisation", async () => {
    const stranger = await makeUser("stranger");
    await makeOrg(stranger);
    const c = callerFor(stranger);
    const writes = [
      () => c.errors.setStatus({ ...scope, groupId: groups.g1, status: "resolved" }),
      () => c.explore.trace({ ...scope, traceId: "trace-1" }),
      () => c.spendAccess({ orgSlug: scope.orgSlug }),
      () => c.setSpendAccess({ orgSlug: scope.orgSlug, roles: [] }),
    ];
    for (const call of [...reads(c), ...writes]) await expectTRPCError(call(), "NOT_FOUND");
  });

  it("answers NOT_FOUND for a project of another organisation reached through the caller's own org", async () => {
    const other = await makeOrg(await makeUser("other-owner"));
    const otherProject = await makeProject(other.id);
    await expectTRPCError(callerFor(fx.owner).overview({ ...RANGE, orgSlug: fx.org.slug, projectSlug: otherProject.slug }), "NOT_FOUND");
  });

  it("rejects bad ranges with the field named", async () => {
    await expectTRPCError(callerFor(fx.viewer).overview({ ...range(), to: RANGE.from }), "BAD_REQUEST", "to");
    await expectTRPCError(callerFor(fx.viewer).overview({ ...range(), timeZone: "Mars/Base" }), "BAD_REQUEST", "timeZone");
  });
});

describe("dashboards router: roles", () => {
  it("lets every role read every page; viewers see spend while the org grants it", async () => {
    for (const read of reads(callerFor(fx.viewer))) expect(await read()).toBeTruthy();
    const overview = await callerFor(fx.viewer).overview(range());
    expect("spend" in overview && overview.spend.todayUsd).toBeCloseTo(0.7, 10);
  });

  it("omits spend (not zero) for roles the owner withholds it from, and audits the change", async () => {
    await expectTRPCError(callerFor(fx.admin).setSpendAccess({ orgSlug: scope.orgSlug, roles: ["admin"] }), "FORBIDDEN");
    expect(await callerFor(fx.owner).setSpendAccess({ orgSlug: scope.orgSlug, roles: ["admin"] })).toEqual({ roles: ["admin"], ownersAlways: true });
    expect(await auditCount(fx.org.id, "settings.changed", fx.org.id)).toBe(1);
    expect(await callerFor(fx.viewer).spendAccess({ orgSlug: scope.orgSlug })).toMatchObject({ roles: ["admin"], canSeeSpend: false });

    for (const user of [fx.viewer, fx.member]) {
      const c = callerFor(user);
      const overview = await c.overview(range());
      expect(overview).not.toHaveProperty("spend");
      expect(overview.requests.value).toBe(310);
      const llm = await c.llm(range());
      expect(llm.total).not.toHaveProperty("costUsd");
      expect(llm.total.calls).toBe(50);
      expect(llm).not.toHaveProperty("projection");
      expect(llm).not.toHaveProperty("mostExpensive");
      expect(llm.byModel[0]).not.toHaveProperty("costUsd");
      expect(llm.byUser[0]).not.toHaveProperty("costUsd");
      expect(await c.users(range())).not.toHaveProperty("topBySpend");
    }
    expect((await callerFor(fx.admin).llm(range())).total).toHaveProperty("costUsd");
    const ownerView = await callerFor(fx.owner).overview(range());
    expect("spend" in ownerView && ownerView.spend.monthToDateUsd).toBeCloseTo(0.7, 10);
    await callerFor(fx.owner).setSpendAccess({ orgSlug: scope.orgSlug, roles: ["admin", "member", "viewer"] });
  });

  it("lets members triage errors (audited), moving a group between status tabs; viewers are FORBIDDEN", async () => {
    await expectTRPCError(callerFor(fx.viewer).errors.setStatus({ ...scope, groupId: groups.g1, status: "resolved" }), "FORBIDDEN");
    const c = callerFor(fx.member);
    expect(await c.errors.setStatus({ ...scope, groupId: groups.g1, status: "resolved" })).toMatchObject({ status: "resolved" });
    expect((await c.errors.list({ ...range(), status: "unresolved" })).groups).toEqual([]);
    expect((await c.errors.list({ ...range(), status: "resolved" })).groups.map((g) => g.id).sort()).toEqual([groups.g1, groups.g2].sort());
    await c.errors.setStatus({ ...scope, groupId: groups.g1, status: "ignored" });
    await c.errors.setStatus({ ...scope, groupId: groups.g1, status: "unresolved" });
    expect((await c.errors.list({ ...range(), status: "unresolved" })).groups.map((g) => g.id)).toEqual([groups.g1]);
    for (const action of ["error_group.resolved", "error_group.ignored", "error_group.reopened"])
      expect(await auditCount(fx.org.id, action, groups.g1)).toBe(1);
    await expectTRPCError(c.errors.setStatus({ ...scope, groupId: "00000000-0000-4000-8000-000000000000", status: "resolved" }), "NOT_FOUND");
    expect((await prisma.errorGroup.findFirstOrThrow({ where: { id: groups.g1 } })).status).toBe("unresolved");
  });

  it("returns a trace with its LLM calls, and NOT_FOUND for a trace the project does not have (log search: logs-search.test.ts)", async () => {
    const trace = await callerFor(fx.viewer).explore.trace({ ...scope, traceId: "trace-1" });
    expect(trace.llmCalls).toHaveLength(1);
    await expectTRPCError(callerFor(fx.viewer).explore.trace({ ...scope, traceId: "nope" }), "NOT_FOUND");
  });
});
