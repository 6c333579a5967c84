import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db/prisma";
import { pool } from "@/server/db/pool";
import { getOverview } from "@/server/dashboards/overview";
import { getOrgPreset } from "@/server/home/presets";
import { insertRows, RANGE, seedDataset } from "../metrics-fixtures";
import { callerFor, expectTRPCError, makeProject, orgWithRoles } from "../tenancy-fixtures";

/**
 * The organisation home's presets over a hand-computed dataset (metrics-fixtures' seedDataset, plus
 * a few logs and spans): 310 requests of which 20 answered 500, one open error group (regressed
 * here), 30 × $0.01 + 20 × $0.02 of LLM calls on 2026-11-20, 45 product events.
 */
describe("home.preset and home.eventsPerDay", () => {
  let a: Awaited<ReturnType<typeof orgWithRoles>>;
  let b: Awaited<ReturnType<typeof orgWithRoles>>;
  let a1: Awaited<ReturnType<typeof makeProject>>;
  let a2: Awaited<ReturnType<typeof makeProject>>;
  let b1: Awaited<ReturnType<typeof makeProject>>;
  let g1: string;

  beforeAll(async () => {
    a = await orgWithRoles();
    b = await orgWithRoles();
    a1 = await makeProject(a.org.id, "a-one");
    a2 = await makeProject(a.org.id, "a-two");
    b1 = await makeProject(b.org.id, "b-one");
    ({ g1 } = await seedDataset(a1.id));
    await seedDataset(b1.id);
    await prisma.errorGroup.updateMany({ where: { projectId: a1.id, id: g1 }, data: { substatus: "regressed" } });
    const t = (m: number) => new Date(Date.parse("2026-11-20T10:00:00Z") + m * 60_000);
    await insertRows(
      "logs",
      [1, 2, 3].map((i) => ({ project_id: a1.id, time: t(i), level: "info", message: `log ${i}` })),
    );
    await insertRows(
      "spans",
      [1, 2].map((i) => ({
        project_id: a1.id,
        trace_id: `t${i}`,
        span_id: `s${i}`,
        name: "GET /",
        kind: "server",
        start_time: t(i),
        end_time: t(i + 1),
        duration_ms: 60_000,
        status: "ok",
      })),
    );
    await prisma.alertIncident.create({
      data: {
        projectId: a1.id,
        seriesKey: "k",
        dedupKey: "d",
        title: "Error rate above 5%",
        severity: "critical",
        status: "firing",
        startedAt: new Date("2026-11-20T11:00:00Z"),
      },
    });
    await prisma.alertIncident.create({
      data: {
        projectId: a1.id,
        seriesKey: "k2",
        dedupKey: "d2",
        title: "Old one",
        severity: "warning",
        status: "resolved",
        startedAt: new Date("2026-11-19T11:00:00Z"),
      },
    });
  });

  const input = (orgSlug: string, view: "engineering" | "operations" | "management") => ({ orgSlug, view, ...RANGE });

  it("engineering: p95, error rate, open groups from the overview function, and the regressed and new groups", async () => {
    const d = await callerFor(a.member).home.preset(input(a.org.slug, "engineering"));
    expect(d.view).toBe("engineering");
    if (d.view !== "engineering") return;
    expect(d.projects.map((p) => p.project.slug)).toEqual(["a-one", "a-two"]);
    const [one, two] = d.projects;
    const overview = await getOverview(pool, { projectId: a1.id, ...RANGE, includeSpend: false });
    expect(one!.errorRate.value).toBeCloseTo(20 / 310, 10);
    expect(one!.latencyP95.value).toBe(overview.latency.value.p95);
    expect(one!.openErrorGroups.value).toBe(1);
    expect(one!.regressedGroups.map((g) => [g.id, g.count])).toEqual([[g1, 15]]);
    expect(one!.newGroups.map((g) => g.id)).toEqual([g1]);
    expect(one!.latencyP95.sparkline.length).toBe(overview.latency.sparkline.length);
    expect(two!.errorRate.value).toBeNull();
    expect(two!.openErrorGroups.value).toBe(0);
    expect(two!.regressedGroups).toEqual([]);
  });

  it("operations: requests, error rate, firing incidents and ingest volume by type", async () => {
    const d = await callerFor(a.viewer).home.preset(input(a.org.slug, "operations"));
    if (d.view !== "operations") throw new Error(d.view);
    const one = d.projects.find((p) => p.project.slug === "a-one")!;
    expect(one.requests.value).toBe(310);
    expect(one.incidents).toMatchObject({ firing: 1, more: false, top: [{ title: "Error rate above 5%", severity: "critical" }] });
    expect(one.ingest.byType).toEqual({ requests: 310, errors: 20, llmCalls: 50, productEvents: 45, logs: 3, spans: 2, metrics: 0 });
    expect(one.ingest.value).toBe(430);
    expect(one.ingest.sparkline.reduce((s, p) => s + (p.value ?? 0), 0)).toBe(430);
    expect(one.ingest.change).toBeNull(); // nothing the day before
  });

  it("answers each view whole: the declared output drops no field of what getOrgPreset returns, with spend or without", async () => {
    await callerFor(a.owner).dashboards.setSpendAccess({ orgSlug: a.org.slug, roles: ["admin"] });
    for (const [user, includeSpend] of [
      [a.owner, true],
      [a.viewer, false],
    ] as const) {
      for (const view of ["engineering", "operations", "management"] as const) {
        const answer = await callerFor(user).home.preset(input(a.org.slug, view));
        expect(answer, `${view} as ${user.email}`).toEqual(await getOrgPreset(pool, { orgId: a.org.id, view, range: RANGE, includeSpend }));
      }
    }
  });

  it("management: active users and LLM usage; spend today, month to date and projection only with spend:read", async () => {
    const owner = await callerFor(a.owner).home.preset(input(a.org.slug, "management"));
    if (owner.view !== "management") throw new Error(owner.view);
    const one = owner.projects.find((p) => p.project.slug === "a-one")!;
    expect(one.activeUsers.value).toBe(8); // u0…u7 (u9 only has errors, which do not make a user active)
    expect(one.llmCalls.value).toBe(50);
    expect(one.tokens).toMatchObject({ input: 70_000, cachedInput: 3_000, output: 14_000, reasoning: 1_000 });
    if (!("spend" in one)) throw new Error("owner sees no spend");
    expect(one.spend.todayUsd).toBeCloseTo(0.7, 10);
    expect(one.spend.monthToDateUsd).toBeCloseTo(0.7, 10);
    // No spend in the seven complete days before the 20th: the run rate is 0, the projection the month to date.
    expect(one.spend.projectedMonthEndUsd).toBeCloseTo(0.7, 10);
    expect(one.spend.projectionMethod).toMatch(/month-to-date/);

    await callerFor(a.owner).dashboards.setSpendAccess({ orgSlug: a.org.slug, roles: ["admin", "member"] });
    const viewer = await callerFor(a.viewer).home.preset(input(a.org.slug, "management"));
    if (viewer.view !== "management") throw new Error(viewer.view);
    expect(viewer.canSeeSpend).toBe(false);
    const seen = viewer.projects.find((p) => p.project.slug === "a-one")!;
    expect(seen.activeUsers.value).toBe(8);
    expect(seen.llmCalls.value).toBe(50);
    expect("spend" in seen).toBe(false);
    const text = JSON.stringify(viewer);
    expect(text.match(/usd|"spend"|projection|cost/gi) ?? [], text).toEqual([]);
    await callerFor(a.owner).dashboards.setSpendAccess({ orgSlug: a.org.slug, roles: ["admin", "member", "viewer"] });
  });

  it("never shows another organisation's projects, and answers NOT_FOUND for an organisation the caller is not in", async () => {
    for (const view of ["engineering", "operations", "management"] as const) {
      const d = await callerFor(a.owner).home.preset(input(a.org.slug, view));
      expect(JSON.stringify(d)).not.toContain("b-one");
      await expectTRPCError(callerFor(a.owner).home.preset(input(b.org.slug, view)), "NOT_FOUND");
    }
    await expectTRPCError(callerFor(a.owner).home.eventsPerDay({ orgSlug: b.org.slug, timeZone: "UTC" }), "NOT_FOUND");
    await expectTRPCError(callerFor(null).home.preset(input(a.org.slug, "engineering")), "UNAUTHORIZED");
  });

  it("events per day: the organisation's events of every type per local day, today included, none of another org's", async () => {
    const now = Date.now();
    const day = (ms: number) => new Date(Math.floor(ms / 86_400_000) * 86_400_000).getTime();
    const recent = [now - 60_000, now - 2 * 86_400_000, now - 2 * 86_400_000 - 60_000];
    await insertRows(
      "requests",
      recent.map((t) => ({ project_id: a2.id, time: new Date(t), method: "GET", route: "/", path: "/", status: 200, duration_ms: 5 })),
    );
    await insertRows(
      "logs",
      recent.slice(0, 1).map((t) => ({ project_id: a2.id, time: new Date(t), level: "info", message: "x" })),
    );
    await insertRows(
      "requests",
      recent.map((t) => ({ project_id: b1.id, time: new Date(t), method: "GET", route: "/", path: "/", status: 200, duration_ms: 5 })),
    );
    const d = await callerFor(a.viewer).home.eventsPerDay({ orgSlug: a.org.slug, timeZone: "UTC", days: 14 });
    expect(d.days).toHaveLength(14);
    expect(d.days[13]!.t.getTime()).toBe(day(now));
    const at = (t: number) => d.days.find((x) => x.t.getTime() === day(t))!;
    expect(at(now)).toMatchObject({ requests: 1, logs: 1 });
    expect(at(now - 2 * 86_400_000).requests).toBe(day(now - 2 * 86_400_000) === day(now - 2 * 86_400_000 - 60_000) ? 2 : 1);
    // Plus the fixed dataset's 310 requests of 2026-11-20 while that day is among the last 14.
    const fixedDay = Date.parse("2026-11-20T00:00:00Z");
    expect(d.days.reduce((s, x) => s + x.requests, 0)).toBe(3 + (fixedDay >= d.days[0]!.t.getTime() ? 310 : 0));
    if (fixedDay >= d.days[0]!.t.getTime())
      expect(at(fixedDay)).toMatchObject({ requests: 310, errors: 20, llmCalls: 50, productEvents: 45, logs: 3, spans: 2 });
  });
});
