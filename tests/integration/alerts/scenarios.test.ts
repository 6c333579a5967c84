import { describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, sendErrors, ingestForFile } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { dispatchDeliveries } = await import("@/server/alerts/outbox");
const { getIncident } = await import("@/server/alerts/incidents");

const ingest = ingestForFile(fakes);

type Project = Awaited<ReturnType<typeof alertProject>>;

/** E-mail, Slack and webhook channels on one project, each with its own fake endpoint. */
async function threeChannels(p: Project) {
  const slackName = `T/${p.project.slug}`;
  const hookPath = `/hooks/${p.project.slug}`;
  const email = await p.caller.alerts.createChannel({ ...p.scope, name: "on-call mail", config: { kind: "email", userIds: [p.owner.id] } });
  const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "slack", config: { kind: "slack", url: fakes.slack.url(slackName) } });
  const hook = await p.caller.alerts.createChannel({ ...p.scope, name: "hook", config: { kind: "webhook", url: fakes.receiver.url(hookPath) } });
  expect(hook.secret).toMatch(/^whsec_/);
  fakes.receiver.setSecret(hookPath, hook.secret!);
  const received = () => ({
    email: fakes.resend.to(p.owner.email).map((m) => m.body.subject),
    slack: fakes.slack.to(slackName).map((m) => m.body.text.split("\n")[0]),
    webhook: fakes.receiver.at(hookPath).map((m) => (m.body as { type: string }).type),
    verified: fakes.receiver.at(hookPath).every((m) => m.verified),
  });
  return { ids: [email.id, slack.id, hook.id], received };
}

const errorCountRule = (channelIds: string[], extra: Record<string, unknown> = {}) => ({
  name: "checkout errors",
  severity: "critical" as const,
  channelIds,
  repeatIntervalMinutes: 5,
  config: { kind: "metric" as const, metric: "error_count" as const, threshold: 5, windowMinutes: 10, ...extra },
});

describe("alert evaluation through the real ingest path", () => {
  it("a burst fires once per channel, repeats only after the repeat interval, and resolves once", async () => {
    const p = await alertProject();
    const ch = await threeChannels(p);
    await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule(ch.ids) });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    const evalAt = (m: number) => evaluateAlerts(pool, { now: at(base, m), projectIds: [p.project.id] });

    await evalAt(2);
    await evalAt(2); // the same minute again: idempotent
    await evalAt(3);
    await evalAt(6);
    let r = ch.received();
    expect(r.email).toHaveLength(1);
    expect(r.email[0]).toMatch(/^\[FIRING · critical\] checkout errors/);
    expect(r.slack).toHaveLength(1);
    expect(r.webhook).toEqual(["alert.firing"]);
    expect(r.verified).toBe(true);

    await evalAt(7); // 5 minutes after the firing notice
    await evalAt(8);
    r = ch.received();
    expect(r.email).toHaveLength(2);
    expect(r.email[1]).toMatch(/^\[STILL FIRING/);
    expect(r.webhook).toEqual(["alert.firing", "alert.repeat"]);

    await evalAt(12); // the burst has left the 10-minute window
    await evalAt(13);
    await evalAt(14);
    r = ch.received();
    expect(r.email.filter((s) => s.startsWith("[RESOLVED"))).toHaveLength(1);
    expect(r.slack).toHaveLength(3);
    expect(r.webhook).toEqual(["alert.firing", "alert.repeat", "alert.resolved"]);

    const [incident] = await p.caller.alerts.listIncidents({ ...p.scope });
    expect(incident!.status).toBe("resolved");
    const detail = await p.caller.alerts.getIncident({ ...p.scope, id: incident!.id });
    const kinds = detail.events.map((e) => e.kind);
    expect(kinds[0]).toBe("firing");
    expect(kinds).toContain("evaluation");
    expect(kinds.filter((k) => k === "notification_sent")).toHaveLength(9);
    expect(kinds.at(-1)).toBe("notification_sent");
    expect(kinds).toContain("resolved");
    expect(detail.dedupKey).toMatch(/^[0-9a-f-]{36}:rule$/);
  }, 120_000);

  it("a condition that flaps inside the `for` period notifies nobody", async () => {
    const p = await alertProject();
    const ch = await threeChannels(p);
    await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule(ch.ids, { threshold: 2, windowMinutes: 1, forMinutes: 3 }) });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1, 5), 3, "flap-a");
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 3, 5), 3, "flap-b");
    for (const m of [2, 3, 4, 5, 6]) await evaluateAlerts(pool, { now: at(base, m), projectIds: [p.project.id] });
    expect(ch.received()).toEqual({ email: [], slack: [], webhook: [], verified: true });
    expect(await p.caller.alerts.listIncidents({ ...p.scope })).toEqual([]);
  });

  it("a silence suppresses notifications and its end restores them", async () => {
    const p = await alertProject();
    const ch = await threeChannels(p);
    const rule = await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule(ch.ids, { windowMinutes: 30 }) });
    const base = baseMinute();
    await p.caller.alerts.createSilence({ ...p.scope, ruleId: rule.id, endsAt: at(base, 10), reason: "deploying" });
    expect((await p.caller.alerts.listRules({ ...p.scope }))[0]!.silencedUntil).toEqual(at(base, 10));
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    for (const m of [2, 3, 9]) await evaluateAlerts(pool, { now: at(base, m), projectIds: [p.project.id] });
    expect(ch.received().email).toEqual([]);
    const [incident] = await p.caller.alerts.listIncidents({ ...p.scope, status: "firing" });
    expect((await getIncident({ projectId: p.project.id, incidentId: incident!.id, includeSpend: true })).events.map((e) => e.kind)).toContain("suppressed");

    await evaluateAlerts(pool, { now: at(base, 10), projectIds: [p.project.id] });
    await evaluateAlerts(pool, { now: at(base, 11), projectIds: [p.project.id] });
    const r = ch.received();
    expect(r.email).toHaveLength(1);
    expect(r.email[0]).toMatch(/^\[FIRING/);
    expect(r.webhook).toEqual(["alert.firing"]);
  });

  it("a channel that fails twice then succeeds delivers exactly once, with the failures on the timeline", async () => {
    const p = await alertProject();
    const name = `flaky/${p.project.slug}`;
    const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "flaky slack", config: { kind: "slack", url: fakes.slack.url(name) } });
    await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule([slack.id]) });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    fakes.slack.failNext(2, 500);
    await evaluateAlerts(pool, { now: at(base, 2), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(0);
    await dispatchDeliveries(pool, { now: at(base, 2, 10), projectIds: [p.project.id] }); // before the backoff: nothing due
    await dispatchDeliveries(pool, { now: at(base, 4), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(0);
    await dispatchDeliveries(pool, { now: at(base, 8), projectIds: [p.project.id] });
    await dispatchDeliveries(pool, { now: at(base, 20), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(1);
    const [incident] = await p.caller.alerts.listIncidents({ ...p.scope });
    const detail = await p.caller.alerts.getIncident({ ...p.scope, id: incident!.id });
    expect(detail.events.filter((e) => e.kind === "notification_failed").map((e) => e.message)).toEqual([
      expect.stringContaining("HTTP 500"),
      expect.stringContaining("HTTP 500"),
    ]);
    expect(detail.deliveries).toEqual([expect.objectContaining({ status: "sent", attempts: 3 })]);
  });

  it("a webhook answering 410 Gone is disabled and the failure shown, not retried", async () => {
    const p = await alertProject();
    const path = `/gone/${p.project.slug}`;
    const hook = await p.caller.alerts.createChannel({ ...p.scope, name: "gone", config: { kind: "webhook", url: fakes.receiver.url(path) } });
    await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule([hook.id]) });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    fakes.receiver.failNext(1, 410);
    await evaluateAlerts(pool, { now: at(base, 2), projectIds: [p.project.id] });
    await dispatchDeliveries(pool, { now: at(base, 30), projectIds: [p.project.id] });
    const [channel] = await p.caller.alerts.listChannels({ ...p.scope });
    expect(channel!.disabledAt).not.toBeNull();
    expect(channel!.disabledReason).toContain("410");
    const [incident] = await p.caller.alerts.listIncidents({ ...p.scope });
    const detail = await p.caller.alerts.getIncident({ ...p.scope, id: incident!.id });
    expect(detail.deliveries).toEqual([expect.objectContaining({ status: "failed", attempts: 1 })]);
    expect(fakes.receiver.at(path)).toHaveLength(0);
  });

  it("over a channel's hourly limit, notifications fold into one digest", async () => {
    const p = await alertProject();
    const name = `limited/${p.project.slug}`;
    const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "limited", maxPerHour: 1, config: { kind: "slack", url: fakes.slack.url(name) } });
    for (const n of ["a", "b", "c"]) await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule([slack.id]), name: `rule ${n}` });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    await evaluateAlerts(pool, { now: at(base, 2), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(1);
    await dispatchDeliveries(pool, { now: at(base, 30), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(1);
    await dispatchDeliveries(pool, { now: at(base, 63), projectIds: [p.project.id] });
    const messages = fakes.slack.to(name);
    expect(messages).toHaveLength(2);
    expect(messages[1]!.body.text).toMatch(/^\[DIGEST\] 2 alert notification/);
    await dispatchDeliveries(pool, { now: at(base, 200), projectIds: [p.project.id] });
    expect(fakes.slack.to(name)).toHaveLength(2);
  });

  it("evaluations at the same minute run once even when started concurrently", async () => {
    const p = await alertProject();
    const ch = await threeChannels(p);
    await p.caller.alerts.createRule({ ...p.scope, ...errorCountRule(ch.ids) });
    const base = baseMinute();
    await sendErrors(ingest.baseUrl, p.ingestKey.secret, at(base, 1), 10);
    await Promise.all([1, 2, 3].map(() => evaluateAlerts(pool, { now: at(base, 2, 30), projectIds: [p.project.id] })));
    expect(ch.received().slack).toHaveLength(1);
    expect(await p.caller.alerts.listIncidents({ ...p.scope })).toHaveLength(1);
  });
});
