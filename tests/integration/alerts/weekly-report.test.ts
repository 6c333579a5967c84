import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, alertsCaller, startIngest } = await import("./harness");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { makeUser, expectTRPCError } = await import("../tenancy-fixtures");
const { prisma } = await import("@/server/db/prisma");
const { pool } = await import("@/server/db/pool");
const { buildWeeklyReport } = await import("@/server/reports/build");
const { sendWeeklyReports } = await import("@/server/reports/send");
const { getWeeklyReport } = await import("@/server/reports/list");
const { getOverview } = await import("@/server/dashboards/overview");
const { getLlmUsage } = await import("@/server/dashboards/llm");
const { getPerformance } = await import("@/server/dashboards/performance");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { moneyKeys, moneyValues } = await import("../spend-scan");
const unsubscribeRoute = await import("@/app/api/reports/unsubscribe/route");
const { startRouteServer } = await import("../../../scripts/lib/http-harness");

const DAY = 86_400_000;
/** Monday 00:00 UTC of last week: a complete week whose data the ingest window still accepts. */
const thisMonday = new Date(Math.floor((Date.now() - ((new Date().getUTCDay() + 6) % 7) * DAY) / DAY) * DAY);
const weekFrom = new Date(thisMonday.getTime() - 7 * DAY);
const weekStart = weekFrom.toISOString().slice(0, 10);
const t = (base: Date, dayOffset: number, minute: number) => new Date(base.getTime() + dayOffset * DAY + 3_600_000 * 10 + minute * 1000).toISOString();

let ingest: Awaited<ReturnType<typeof startIngest>>;
let web: Awaited<ReturnType<typeof startRouteServer>>;
let p: Awaited<ReturnType<typeof alertProject>>;
let viewer: Awaited<ReturnType<typeof makeUser>>;
let optedOut: Awaited<ReturnType<typeof makeUser>>;
let spendIncidents: Array<{ title: string; lastValue: number | null }>;
/** Every amount the spend incidents' titles show: the budget, the threshold and the values they fired at. */
const spendAmounts = () => [0.0173, 0.293, ...spendIncidents.map((i) => i.lastValue!)];

beforeAll(async () => {
  ingest = await startIngest();
  web = await startRouteServer({ "/api/reports/unsubscribe": unsubscribeRoute });
  p = await alertProject();
  viewer = await makeUser("viewer");
  optedOut = await makeUser("optout");
  await prisma.membership.createMany({
    data: [
      { orgId: p.org.id, userId: viewer.id, role: "viewer" },
      { orgId: p.org.id, userId: optedOut.id, role: "member" },
    ],
  });
  await prisma.organization.update({ where: { id: p.org.id }, data: { spendReadRoles: ["admin", "member"] } });
  const req = (base: Date, day: number, i: number, route: string, durationMs: number, status = 200) => ({
    type: "request",
    id: `rq-${uniq()}`,
    timestamp: t(base, day, i),
    method: "GET",
    route,
    path: route,
    status,
    durationMs,
  });
  const batch: unknown[] = [];
  for (let i = 0; i < 40; i++) batch.push(req(weekFrom, i % 7, i, "/api/slow", 400 + i * 10, i < 4 ? 500 : 200));
  for (let i = 0; i < 10; i++) batch.push(req(weekFrom, 2, 100 + i, "/api/fast", 5 + i));
  for (let i = 0; i < 20; i++) batch.push(req(new Date(weekFrom.getTime() - 7 * DAY), i % 7, i, "/api/slow", 300));
  for (let i = 0; i < 3; i++)
    batch.push({ type: "error", id: `e-${uniq()}`, timestamp: t(weekFrom, 3, i), message: "new this week", fingerprint: ["weekly-new"] });
  batch.push({
    type: "llm",
    id: `l-${uniq()}`,
    timestamp: t(weekFrom, 1, 0),
    provider: "openai",
    model: "gpt-4o",
    operation: "chat",
    inputTokens: 100_000,
    outputTokens: 20_000,
  });
  batch.push({
    type: "llm",
    id: `l-${uniq()}`,
    timestamp: t(weekFrom, 4, 0),
    provider: "openai",
    model: "gpt-4o-mini",
    operation: "chat",
    inputTokens: 100_000,
    outputTokens: 10_000,
  });
  batch.push({
    type: "llm",
    id: `l-${uniq()}`,
    timestamp: t(new Date(weekFrom.getTime() - 7 * DAY), 1, 0),
    provider: "openai",
    model: "gpt-4o",
    operation: "chat",
    inputTokens: 10_000,
    outputTokens: 1_000,
  });
  const res = await sendBatch(ingest.baseUrl, p.ingestKey.secret, batch);
  expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(batch.length);
  // Spend incidents in the week: the $0.45 gpt-4o call fires a budget (its title has dollar amounts) and an llm_spend rule (bare amounts).
  const rule = (name: string, config: Record<string, unknown>) =>
    p.caller.alerts.createRule({ ...p.scope, name, severity: "warning", channelIds: [], repeatIntervalMinutes: null, config: config as never });
  await rule("LLM budget", { kind: "budget", amountUsd: 0.0173, notifyAtPercent: [100], notifyOnProjectedOverrun: false });
  await rule("LLM spend burst", { kind: "metric", metric: "llm_spend", threshold: 0.293, windowMinutes: 5 });
  await evaluateAlerts(pool, { now: new Date(Date.parse(t(weekFrom, 1, 0)) + 60_000), projectIds: [p.project.id] });
  spendIncidents = await prisma.alertIncident.findMany({
    where: { projectId: p.project.id },
    orderBy: { title: "asc" },
    select: { title: true, lastValue: true },
  });
  expect(spendIncidents.map((i) => i.title.split(" — ")[0])).toEqual(["LLM budget", "LLM spend burst"]);
  expect(spendIncidents[0]!.title).toMatch(/\$0\.0173 monthly budget \(\$0\.\d\d this month\)/);
});
afterAll(async () => {
  await ingest.close();
  await web.close();
  await fakes.close();
});

describe("weekly report", () => {
  it("numbers for a seeded week match the dashboard functions and the seeded data", async () => {
    const report = await buildWeeklyReport(pool, { orgId: p.org.id, weekStart });
    const section = report.content.projects[0]!;
    const input = { projectId: p.project.id, from: report.content.from, to: report.content.to, timeZone: "UTC", filters: {} };
    const overview = await getOverview(pool, { ...input, includeSpend: false });
    const llm = await getLlmUsage(pool, input);
    const perf = await getPerformance(pool, input);
    expect(section.requests).toEqual({ value: 50, previous: 20, change: 1.5 });
    expect(section.requests.value).toBe(overview.requests.value);
    expect(section.errorRate.value).toBeCloseTo(4 / 50, 10);
    expect(section.errorRate.value).toBe(overview.errorRate.value);
    expect(section.p95.value).toBe(overview.latency.value.p95);
    expect(section.p95.previous).toBe(overview.latency.previous.p95);
    expect(section.slowestEndpoints[0]).toMatchObject({ route: "/api/slow", count: 40, p95: perf.endpoints.find((e) => e.route === "/api/slow")!.p95 });
    expect("costUsd" in llm.total && section.llm.spendUsd).toBe("costUsd" in llm.total && llm.total.costUsd);
    expect(section.llm.spendUsd).toBeCloseTo(0.25 + 0.2 + 0.015 + 0.006, 6);
    expect(section.llm.previousSpendUsd).toBeCloseTo(0.025 + 0.01, 6);
    expect(section.llm.topModels.map((m) => m.model)).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(section.llm.projectedMonthEndUsd).toBe("projection" in llm ? llm.projection.projectedMonthEndUsd : NaN);
    expect(section.newGroups.map((g) => [g.title, g.count])).toEqual([["new this week", 3]]);
    const stored = await p.caller.reports.get({ orgSlug: p.org.slug, id: report.id });
    expect(stored.html).toContain("/api/slow");
    expect(stored.text).toContain("Requests: 50 (+150.0% vs previous week)");
  });

  it("carries the organisation's latest signed audit checkpoint, which verifies with the instance's key", async () => {
    const before = await buildWeeklyReport(pool, { orgId: p.org.id, weekStart });
    const { auditSigningKey } = await import("@/server/audit/signing-key");
    const { checkpointChainNow, latestCheckpoint } = await import("@/server/audit/verification");
    const { verifierKey } = await import("@/server/audit/checkpoint");
    const { verifyCheckpoint } = await import("@sightline/node/audit");
    if (!before.content.auditCheckpoint) await checkpointChainNow(pool, auditSigningKey(), p.org.id);
    const latest = (await latestCheckpoint(pool, p.org.id))!;
    const report = await buildWeeklyReport(pool, { orgId: p.org.id, weekStart });
    expect(report.content.auditCheckpoint).toEqual(latest);
    const stored = await p.caller.reports.get({ orgSlug: p.org.slug, id: report.id });
    expect(stored.text).toContain(latest.note.trim());
    expect(stored.html).toContain(`covering ${latest.treeSize} entries`);
    const key = auditSigningKey();
    expect(verifyCheckpoint(latest.note, verifierKey(key.keyName, key.publicKey))).toMatchObject({ ok: true, checkpoint: { size: latest.treeSize } });
  });

  it("sends Monday 09:00 local once per member, skips opted-out members, hides spend from roles without spend:read", async () => {
    await p.caller.reports.list({ orgSlug: p.org.slug });
    await alertsCaller(optedOut).reports.setSubscription({ orgSlug: p.org.slug, subscribed: false });
    const sunday = new Date(thisMonday.getTime() - 3_600_000);
    expect((await sendWeeklyReports(pool, { now: sunday, orgIds: [p.org.id] })).orgs).toBe(0);
    const monday8 = new Date(thisMonday.getTime() + 8 * 3_600_000);
    expect((await sendWeeklyReports(pool, { now: monday8, orgIds: [p.org.id] })).orgs).toBe(0);
    const monday9 = new Date(thisMonday.getTime() + 9 * 3_600_000 + 60_000);
    expect(await sendWeeklyReports(pool, { now: monday9, orgIds: [p.org.id] })).toEqual({ orgs: 1, sent: 2, skipped: 0, failed: 0 });
    expect(await sendWeeklyReports(pool, { now: new Date(monday9.getTime() + 3_600_000), orgIds: [p.org.id] })).toEqual({
      orgs: 1,
      sent: 0,
      skipped: 2,
      failed: 0,
    });
    const ownerMail = fakes.resend.to(p.owner.email);
    const viewerMail = fakes.resend.to(viewer.email);
    expect(ownerMail).toHaveLength(1);
    expect(viewerMail).toHaveLength(1);
    expect(fakes.resend.to(optedOut.email)).toHaveLength(0);
    expect(ownerMail[0]!.body.subject).toContain(`Weekly report for ${p.org.slug}`);
    expect(ownerMail[0]!.body.text).toContain("LLM spend: $0.47");
    expect(ownerMail[0]!.body.html).toContain("width:100%");
    expect(viewerMail[0]!.body.text).not.toContain("LLM spend:");
    expect(viewerMail[0]!.body.html).not.toContain("<h4>LLM spend</h4>");
    const reportId = (await p.caller.reports.list({ orgSlug: p.org.slug }))[0]!.id;
    const asViewer = await alertsCaller(viewer).reports.get({ orgSlug: p.org.slug, id: reportId });
    expect(asViewer.content.projects[0]).not.toHaveProperty("llm");

    // Spend incidents: the owner reads their titles as they fired; the viewer reads them without any amount, in mail and in the portal.
    const hidden = ["LLM budget — LLM spend reached 100% of the monthly budget", "LLM spend burst — LLM spend crossed the rule's threshold"];
    for (const { title } of spendIncidents) {
      expect(ownerMail[0]!.body.text).toContain(`[warning] ${title}`);
      expect(ownerMail[0]!.body.html).toContain(`[warning] ${title}`);
    }
    const asOwner = await p.caller.reports.get({ orgSlug: p.org.slug, id: reportId });
    // The declared output drops nothing of the stored report either reader is shown.
    expect(asOwner).toEqual(await getWeeklyReport({ orgId: p.org.id, reportId, includeSpend: true }));
    expect(asViewer).toEqual(await getWeeklyReport({ orgId: p.org.id, reportId, includeSpend: false }));
    expect(asOwner.content.projects[0]!.alerts.incidents.map((i) => i.title).sort()).toEqual(spendIncidents.map((i) => i.title));
    expect(asOwner.text).toContain(spendIncidents[0]!.title);
    const viewerMailParts = { text: viewerMail[0]!.body.text, html: viewerMail[0]!.body.html, subject: viewerMail[0]!.body.subject };
    for (const shown of [viewerMailParts, asViewer]) {
      expect(moneyValues(shown, spendAmounts())).toEqual([]);
      expect(JSON.stringify(shown)).not.toContain("$");
      for (const h of hidden) expect(JSON.stringify(shown)).toContain(h);
    }
    expect(asViewer.content.projects[0]!.alerts.incidents.map((i) => i.title.split(" (")[0]).sort()).toEqual(hidden);
    expect(moneyKeys(asViewer)).toEqual([]);
  });

  it("the unsubscribe link works without signing in; a forged token is refused", async () => {
    const mail = fakes.resend.to(viewer.email)[0] ?? (await sendWeeklyReports(pool, { force: true, orgIds: [p.org.id] }), fakes.resend.to(viewer.email)[0]!);
    const link = /Unsubscribe: (\S+)/.exec(mail.body.text!)![1]!;
    const url = new URL(link);
    const local = `${web.baseUrl}${url.pathname}${url.search}`;
    const [token] = [url.searchParams.get("token")!];
    const forged = [`${token.split(".")[0]}.${"A".repeat(43)}`, `${Buffer.from(`${p.org.id}:${p.owner.id}`).toString("base64url")}.${token.split(".")[1]}`];
    for (const f of forged) {
      const res = await fetch(`${web.baseUrl}/api/reports/unsubscribe?token=${encodeURIComponent(f)}`, { method: "POST" });
      expect(res.status).toBe(400);
    }
    expect(await prisma.reportOptOut.count({ where: { orgId: p.org.id, userId: { in: [viewer.id, p.owner.id] } } })).toBe(0);
    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(await prisma.reportOptOut.count({ where: { orgId: p.org.id, userId: viewer.id } })).toBe(0);
    const done = await fetch(local, { method: "POST" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("no longer receive");
    expect(await alertsCaller(viewer).reports.subscription({ orgSlug: p.org.slug })).toEqual({ subscribed: false });
  });

  it("'send me this week's report now' mails a preview to the caller only; reports stay inside their organisation", async () => {
    const before = fakes.resend.emails.length;
    const res = await p.caller.reports.sendMeNow({ orgSlug: p.org.slug });
    expect(res.weekStart).toBe(weekStart);
    expect(fakes.resend.emails.slice(before).map((e) => e.body.to)).toEqual([p.owner.email]);
    const outsider = await makeUser("outsider");
    await expectTRPCError(alertsCaller(outsider).reports.list({ orgSlug: p.org.slug }), "NOT_FOUND");
    const other = await alertProject();
    await expectTRPCError(other.caller.reports.get({ orgSlug: other.org.slug, id: res.reportId }), "NOT_FOUND");
    await expectTRPCError(alertsCaller(null).reports.list({ orgSlug: p.org.slug }), "UNAUTHORIZED");
  });

  it("'send me the report now' is limited to 3 an hour per person and organisation", async () => {
    const q = await alertProject();
    for (let i = 0; i < 3; i++) await q.caller.reports.sendMeNow({ orgSlug: q.org.slug });
    const before = fakes.resend.emails.length;
    const shape = await expectTRPCError(q.caller.reports.sendMeNow({ orgSlug: q.org.slug }), "TOO_MANY_REQUESTS");
    expect(shape.message).toMatch(/^Too many reports sent now; try again in \d+ s$/);
    expect(fakes.resend.emails.length).toBe(before);
  });
});
