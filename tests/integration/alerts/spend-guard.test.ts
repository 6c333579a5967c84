import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

/**
 * Alerts honour `spend:read` as the dashboards do (trpc-spend-guard.test.ts): budgets and LLM spend
 * rules fire on real ingested LLM calls, and every alerts read procedure is then called as roles
 * without the permission and searched at any depth for money — keys naming it, dollar amounts in
 * text, and the very amounts the owner sees (budget, thresholds, month-to-date, projection). Writes
 * to spend rules are refused to those roles. With the permission the same answers carry the money.
 */

// The evaluated month lies two months back (so no test run straddles a month's end): widen the ingest window before env.ts is read.
process.env.INGEST_MAX_PAST_SECONDS = String(120 * 86_400);
const fakes = await startAlertFakes();
const { alertProject, startIngest } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { callerFor, expectTRPCError, makeUser } = await import("../tenancy-fixtures");
const { moneyKeys, moneyValues } = await import("../spend-scan");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { prisma } = await import("@/server/db/prisma");
const { listAlertRules } = await import("@/server/alerts/rules");
const { getIncident } = await import("@/server/alerts/incidents");

const DAY = 86_400_000;
const MINUTE = 60_000;

let ingest: Awaited<ReturnType<typeof startIngest>>;
let t: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const p = await alertProject();
  const [admin, member, viewer] = await Promise.all([makeUser("admin"), makeUser("member"), makeUser("viewer")]);
  await prisma.membership.createMany({
    data: [
      { orgId: p.org.id, userId: admin.id, role: "admin" },
      { orgId: p.org.id, userId: member.id, role: "member" },
      { orgId: p.org.id, userId: viewer.id, role: "viewer" },
    ],
  });
  const asOwner = callerFor(p.owner);
  await asOwner.dashboards.setSpendAccess({ orgSlug: p.org.slug, roles: ["admin"] });

  // $1.37 a day on days 1..14, and two calls of $0.61 in the five minutes before "now" (the 15th at noon).
  const today = new Date();
  const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 2, 1));
  const now = new Date(month.getTime() + 14 * DAY + 12 * 3_600_000);
  const call = (time: Date, costUsd: number) => ({
    type: "llm",
    id: `sg-${uniq()}`,
    timestamp: time.toISOString(),
    provider: "openai",
    model: "gpt-4o",
    operation: "chat",
    inputTokens: 1000,
    outputTokens: 100,
    costUsd,
  });
  const calls = [
    ...Array.from({ length: 14 }, (_, d) => call(new Date(month.getTime() + d * DAY + 10 * 3_600_000), 1.37)),
    call(new Date(now.getTime() - 2 * MINUTE), 0.61),
    call(new Date(now.getTime() - 2 * MINUTE + 1), 0.61),
  ];
  const res = await sendBatch(ingest.baseUrl, p.ingestKey.secret, calls);
  expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(calls.length);

  const slackName = `spend-guard/${p.project.slug}`;
  const slack = await asOwner.alerts.createChannel({ ...p.scope, name: "team spend", config: { kind: "slack", url: fakes.slack.url(slackName) } });
  const rule = (name: string, config: Record<string, unknown>) =>
    asOwner.alerts.createRule({ ...p.scope, name, severity: "warning", channelIds: [slack.id], repeatIntervalMinutes: null, config: config as never });
  const budget = await rule("monthly LLM budget", { kind: "budget", amountUsd: 17.35, notifyAtPercent: [50, 100], notifyOnProjectedOverrun: true });
  const spendRule = await rule("LLM spend burst", { kind: "metric", metric: "llm_spend", threshold: 0.93, resolveThreshold: 0.41, windowMinutes: 5 });
  const tokens = await rule("LLM token burst", { kind: "metric", metric: "llm_tokens", threshold: 1500, windowMinutes: 5 });
  const oldBudget = await rule("old budget", { kind: "budget", amountUsd: 3.17, notifyAtPercent: [100], notifyOnProjectedOverrun: false });
  for (const m of [0, 1]) await evaluateAlerts(pool, { now: new Date(now.getTime() + m * MINUTE), projectIds: [p.project.id] });
  // A deleted budget's incidents stay in history with no rule to tell what they were about.
  await asOwner.alerts.deleteRule({ ...p.scope, id: oldBudget.id });
  const silence = await asOwner.alerts.createSilence({ ...p.scope, ruleId: spendRule.id, endsAt: new Date(Date.now() + 3_600_000), reason: "known spike" });
  return { ...p, admin, member, viewer, asOwner, slackName, budget, spendRule, tokens, oldBudget, silence };
}

beforeAll(async () => {
  ingest = await startIngest();
  t = await setup();
}, 120_000);
afterAll(async () => {
  await ingest.close();
  await fakes.close();
});

/** Every read procedure of the alerts router, by name, every incident's detail included. */
async function reads(user: { id: string; email: string; name: string }): Promise<Record<string, unknown>> {
  const c = callerFor(user).alerts;
  const scope = t.scope;
  const incidents = await c.listIncidents({ ...scope });
  const details = await Promise.all(
    incidents.map(
      async (i) =>
        [`getIncident(${i.title.split(" — ")[0]} ${i.dedupKey.split(":").slice(1).join(":")})`, await c.getIncident({ ...scope, id: i.id })] as const,
    ),
  );
  return {
    listRules: await c.listRules({ ...scope }),
    listChannels: await c.listChannels({ ...scope }),
    listIncidents: incidents,
    "listIncidents(firing)": await c.listIncidents({ ...scope, status: "firing" }),
    "listIncidents(resolved)": await c.listIncidents({ ...scope, status: "resolved" }),
    ...Object.fromEntries(details),
  };
}

/** The money the owner is shown: rule amounts, and every spend incident's values (month-to-date, projection, window spend). */
async function ownerAmounts(): Promise<number[]> {
  const c = t.asOwner.alerts;
  const incidents = await c.listIncidents({ ...t.scope });
  const spendIncidents = incidents.filter((i) => !i.rule || i.rule.id !== t.tokens.id);
  const values = (await Promise.all(spendIncidents.map((i) => c.getIncident({ ...t.scope, id: i.id })))).flatMap((d) => [
    d.lastValue,
    ...d.events.map((e) => (e.detail as { value?: number | null }).value),
  ]);
  return [17.35, 3.17, 0.93, 0.41, ...values].filter((v): v is number => typeof v === "number" && !Number.isInteger(v));
}

describe("alerts router: LLM spend stays with spend:read", () => {
  it("the rules fired (a budget at 50 % and 100 % and on its projection, the spend and token rules, a since-deleted budget), and channels got the amounts", async () => {
    const incidents = await t.asOwner.alerts.listIncidents({ ...t.scope });
    expect(incidents.map((i) => i.dedupKey.replace(/^[^:]+:/, `${i.rule?.name ?? "deleted"}:`)).sort()).toEqual([
      "LLM spend burst:rule",
      "LLM token burst:rule",
      "deleted:pct:100",
      "monthly LLM budget:pct:100",
      "monthly LLM budget:pct:50",
      "monthly LLM budget:projected",
    ]);
    // Notifications are the channel owners' business: they keep their amounts.
    expect(
      fakes.slack
        .to(t.slackName)
        .map((m) => m.body.text)
        .join("\n"),
    ).toContain("of the $17.35 monthly budget ($20.40 this month)");
  });

  it("answers roles without spend:read with no money at any depth: no money keys, no dollar amounts, none of the owner's amounts", async () => {
    const amounts = await ownerAmounts();
    expect(amounts.length).toBeGreaterThan(6);
    for (const user of [t.member, t.viewer]) {
      const answers = await reads(user);
      expect(Object.keys(answers).filter((k) => k.startsWith("getIncident"))).toHaveLength(6);
      for (const [name, answer] of Object.entries(answers)) {
        expect(moneyKeys(answer), `${name} as ${user.email}`).toEqual([]);
        expect(moneyValues(answer, amounts), `${name} as ${user.email}`).toEqual([]);
      }
    }
  });

  it("still lists spend rules and their incidents with name, state and severity, marked as hidden; other rules are unchanged", async () => {
    const asMember = callerFor(t.member).alerts;
    const rules = await asMember.listRules({ ...t.scope });
    const byName = Object.fromEntries(rules.map((r) => [r.name, r]));
    expect(byName["monthly LLM budget"]).toMatchObject({
      state: "firing",
      severity: "warning",
      moneyHidden: true,
      config: { kind: "budget", notifyAtPercent: [50, 100], notifyOnProjectedOverrun: true },
    });
    expect(byName["LLM spend burst"]).toMatchObject({ state: "firing", moneyHidden: true, config: { kind: "metric", metric: "llm_spend", windowMinutes: 5 } });
    expect(byName["LLM spend burst"]!.silences.map((s) => s.reason)).toEqual(["known spike"]);
    const ownerRules = await t.asOwner.alerts.listRules({ ...t.scope });
    expect(byName["LLM token burst"]).toEqual(ownerRules.find((r) => r.name === "LLM token burst"));
    expect(byName["LLM token burst"]).toMatchObject({ moneyHidden: false, config: { threshold: 1500 } });

    const incidents = await asMember.listIncidents({ ...t.scope });
    const budget100 = incidents.find((i) => i.dedupKey === `${t.budget.id}:pct:100`)!;
    expect(budget100).toMatchObject({ status: "firing", severity: "warning", lastValue: null, moneyHidden: true, labels: { percent: "100" } });
    expect(budget100.title).toBe("monthly LLM budget — LLM spend reached 100% of the monthly budget (amounts hidden: needs spend:read)");
    expect(incidents.find((i) => i.dedupKey === `${t.budget.id}:projected`)!.title).toBe(
      "monthly LLM budget — LLM spend is projected to overrun the monthly budget (amounts hidden: needs spend:read)",
    );
    expect(incidents.find((i) => i.dedupKey === `${t.oldBudget.id}:pct:100`)).toMatchObject({
      rule: null,
      moneyHidden: true,
      title: "old budget — LLM spend reached 100% of the monthly budget (amounts hidden: needs spend:read)",
    });
    const tokenIncident = incidents.find((i) => i.rule?.id === t.tokens.id)!;
    expect(tokenIncident).toMatchObject({ moneyHidden: false, lastValue: 2200 });
    expect(tokenIncident.title).toContain("llm_tokens 2200");

    const detail = await asMember.getIncident({ ...t.scope, id: budget100.id });
    expect(detail.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["firing", "evaluation", "notification_queued", "notification_sent"]));
    expect(detail.events.find((e) => e.kind === "firing")!.message).toBe(
      "Firing: LLM spend reached 100% of the monthly budget (amounts hidden: needs spend:read)",
    );
    expect(detail.events.find((e) => e.kind === "notification_sent")!.detail).toMatchObject({ attempts: 1 });
    expect(detail.deliveries.map((d) => [d.channel.name, d.status])).toEqual([["team spend", "sent"]]);
  });

  it("gives owners and roles granted spend the same answers with the money in them", async () => {
    const amounts = await ownerAmounts();
    for (const user of [t.owner, t.admin]) {
      const answers = await reads(user);
      expect(moneyKeys(answers.listRules).length, "listRules").toBeGreaterThan(0);
      for (const name of ["listRules", "listIncidents", ...Object.keys(answers).filter((k) => k.startsWith("getIncident(monthly"))])
        expect(moneyValues(answers[name], amounts).length, `${name} as ${user.email}`).toBeGreaterThan(0);
      const incidents = answers.listIncidents as Array<{ dedupKey: string; title: string; lastValue: number | null; moneyHidden: boolean }>;
      const budget100 = incidents.find((i) => i.dedupKey === `${t.budget.id}:pct:100`)!;
      expect(budget100).toMatchObject({ moneyHidden: false, lastValue: expect.closeTo(20.4, 6) });
      expect(budget100.title).toContain("($20.40 this month)");
    }
  });

  it("answers rules and incident details whole: the declared outputs drop no field of what the alerts functions return", async () => {
    const incidents = await prisma.alertIncident.findMany({ where: { projectId: t.project.id }, select: { id: true } });
    expect(incidents.length).toBe(6);
    for (const [user, includeSpend] of [
      [t.owner, true],
      [t.member, false],
    ] as const) {
      const c = callerFor(user).alerts;
      const now = new Date();
      const rules = await c.listRules({ ...t.scope });
      expect(rules, `listRules as ${user.email}`).toEqual(await listAlertRules({ projectId: t.project.id, includeSpend, now }));
      for (const { id } of incidents)
        expect(await c.getIncident({ ...t.scope, id }), `getIncident as ${user.email}`).toEqual(
          await getIncident({ projectId: t.project.id, incidentId: id, includeSpend }),
        );
    }
  });

  it("refuses roles without spend:read every write to a spend rule, and lets them write other rules", async () => {
    const asMember = callerFor(t.member).alerts;
    const scope = t.scope;
    const before = await prisma.alertRule.findMany({ where: { projectId: t.project.id }, orderBy: { id: "asc" } });
    const refused: Array<() => Promise<unknown>> = [
      () =>
        asMember.createRule({ ...scope, name: "my budget", config: { kind: "budget", amountUsd: 5, notifyAtPercent: [100], notifyOnProjectedOverrun: true } }),
      () => asMember.createRule({ ...scope, name: "my spend", config: { kind: "metric", metric: "llm_spend", threshold: 1 } }),
      () => asMember.updateRule({ ...scope, id: t.budget.id, enabled: false }),
      () => asMember.updateRule({ ...scope, id: t.spendRule.id, name: "renamed" }),
      () => asMember.updateRule({ ...scope, id: t.tokens.id, config: { kind: "metric", metric: "llm_spend", threshold: 0.01 } }),
      () => asMember.deleteRule({ ...scope, id: t.budget.id }),
      () => asMember.createSilence({ ...scope, ruleId: t.budget.id, endsAt: new Date(Date.now() + 3_600_000) }),
      () => asMember.endSilence({ ...scope, id: t.silence.id }),
    ];
    for (const call of refused) {
      const shape = await expectTRPCError(call(), "FORBIDDEN");
      expect(shape.message).toMatch(/need spend:read/);
    }
    expect(await prisma.alertRule.findMany({ where: { projectId: t.project.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect((await prisma.alertSilence.findUniqueOrThrow({ where: { id: t.silence.id } })).endsAt.getTime()).toBeGreaterThan(Date.now());
    expect(await prisma.alertSilence.count({ where: { ruleId: t.budget.id } })).toBe(0);

    // Other rules are theirs to write as before; a role granted spend writes spend rules.
    const mine = await asMember.createRule({ ...scope, name: "my tokens", config: { kind: "metric", metric: "llm_tokens", threshold: 10_000 } });
    await asMember.updateRule({ ...scope, id: mine.id, severity: "critical" });
    await asMember.deleteRule({ ...scope, id: mine.id });
    const adminBudget = await callerFor(t.admin).alerts.createRule({
      ...scope,
      name: "admin budget",
      config: { kind: "budget", amountUsd: 40, notifyAtPercent: [100], notifyOnProjectedOverrun: false },
    });
    await callerFor(t.admin).alerts.deleteRule({ ...scope, id: adminBudget.id });
  });
});
