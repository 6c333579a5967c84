import { afterAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertsCaller, alertProject } = await import("./harness");
const { makeUser, makeProject, expectTRPCError, auditCount } = await import("../tenancy-fixtures");
const { prisma } = await import("@/server/db/prisma");

afterAll(() => fakes.close());

const rule = (channelIds: string[] = []) => ({
  name: "slow checkout",
  severity: "warning" as const,
  channelIds,
  config: { kind: "metric" as const, metric: "latency_p95" as const, threshold: 800, filters: { route: "/checkout" }, minRequests: 20, forMinutes: 5 },
});

async function team() {
  const p = await alertProject();
  const member = await makeUser("member");
  const viewer = await makeUser("viewer");
  await prisma.membership.createMany({
    data: [
      { orgId: p.org.id, userId: member.id, role: "member" },
      { orgId: p.org.id, userId: viewer.id, role: "viewer" },
    ],
  });
  return { ...p, member, viewer };
}

describe("alerts router: roles, tenancy, validation", () => {
  it("members create, update and delete rules (audited); viewers only read", async () => {
    const t = await team();
    const asMember = alertsCaller(t.member);
    const created = await asMember.alerts.createRule({ ...t.scope, ...rule() });
    expect(created.config).toMatchObject({ kind: "metric", thresholdType: "static", comparison: "above", windowMinutes: 5, noData: "ok" });
    expect(created.repeatIntervalMinutes).toBe(240);
    expect(await auditCount(t.org.id, "alert_rule.created", created.id)).toBe(1);
    const asViewer = alertsCaller(t.viewer);
    expect((await asViewer.alerts.listRules({ ...t.scope })).map((r) => r.id)).toEqual([created.id]);
    await expectTRPCError(asViewer.alerts.createRule({ ...t.scope, ...rule() }), "FORBIDDEN");
    await expectTRPCError(asViewer.alerts.deleteRule({ ...t.scope, id: created.id }), "FORBIDDEN");
    await expectTRPCError(asViewer.alerts.createSilence({ ...t.scope, ruleId: created.id, endsAt: new Date(Date.now() + 3_600_000) }), "FORBIDDEN");
    const updated = await asMember.alerts.updateRule({ ...t.scope, id: created.id, severity: "critical", enabled: false });
    expect(updated).toMatchObject({ severity: "critical", enabled: false });
    await asMember.alerts.deleteRule({ ...t.scope, id: created.id });
    expect(await asViewer.alerts.listRules({ ...t.scope })).toEqual([]);
  });

  it("other organisations' rules, channels and incidents are invisible (NOT_FOUND)", async () => {
    const a = await team();
    const b = await alertProject();
    const bRule = await b.caller.alerts.createRule({ ...b.scope, ...rule() });
    const bChannel = await b.caller.alerts.createChannel({ ...b.scope, name: "b mail", config: { kind: "email", userIds: [b.owner.id] } });
    await expectTRPCError(a.caller.alerts.listRules({ orgSlug: b.org.slug, projectSlug: b.project.slug }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.listRules({ orgSlug: a.org.slug, projectSlug: b.project.slug }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.updateRule({ ...a.scope, id: bRule.id, name: "hijack" }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.deleteRule({ ...a.scope, id: bRule.id }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.createSilence({ ...a.scope, ruleId: bRule.id, endsAt: new Date(Date.now() + 60_000) }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.testChannel({ ...a.scope, id: bChannel.id }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.deleteChannel({ ...a.scope, id: bChannel.id }), "NOT_FOUND");
    await expectTRPCError(a.caller.alerts.createRule({ ...a.scope, ...rule([bChannel.id]) }), "BAD_REQUEST");
    await expectTRPCError(a.caller.alerts.createChannel({ ...a.scope, name: "leak", config: { kind: "email", userIds: [b.owner.id] } }), "BAD_REQUEST");
    // A second project of the same organisation does not see the first one's rules either.
    const sibling = await makeProject(a.org.id);
    await a.caller.alerts.createRule({ ...a.scope, ...rule() });
    expect(await a.caller.alerts.listRules({ orgSlug: a.org.slug, projectSlug: sibling.slug })).toEqual([]);
    await expectTRPCError(alertsCaller(null).alerts.listRules({ ...a.scope }), "UNAUTHORIZED");
    expect((await prisma.alertRule.findUniqueOrThrow({ where: { id: bRule.id } })).name).toBe("slow checkout");
  });

  it("refuses rules that could never be evaluated, naming the field", async () => {
    const t = await team();
    const bad = (config: Record<string, unknown>) => t.caller.alerts.createRule({ ...t.scope, name: "x", config: config as never });
    await expectTRPCError(bad({ kind: "metric", metric: "error_rate", threshold: 0.1, filters: { model: "gpt-4o" } }), "BAD_REQUEST", "config");
    await expectTRPCError(bad({ kind: "metric", metric: "log_count", threshold: 10 }), "BAD_REQUEST", "config");
    await expectTRPCError(bad({ kind: "metric", metric: "error_count", threshold: 10, resolveThreshold: 20 }), "BAD_REQUEST", "config");
    await expectTRPCError(bad({ kind: "budget", amountUsd: 100, userId: "u", feature: "f" }), "BAD_REQUEST", "config");
    await expectTRPCError(bad({ kind: "metric", metric: "p42", threshold: 1 }), "BAD_REQUEST", "config");
    await expectTRPCError(t.caller.alerts.createRule({ ...t.scope, ...rule(), repeatIntervalMinutes: 1 }), "BAD_REQUEST", "repeatIntervalMinutes");
    await expectTRPCError(
      t.caller.alerts.createSilence({
        ...t.scope,
        ruleId: (await t.caller.alerts.createRule({ ...t.scope, ...rule() })).id,
        endsAt: new Date(Date.now() - 1000),
      }),
      "BAD_REQUEST",
    );
    expect(await prisma.alertRule.count({ where: { projectId: t.project.id } })).toBe(1);
  });

  it("shows a webhook secret once, never in lists; test notifications report the outcome", async () => {
    const t = await team();
    const hook = await t.caller.alerts.createChannel({ ...t.scope, name: "hook", config: { kind: "webhook", url: fakes.receiver.url("/once") } });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    fakes.receiver.setSecret("/once", hook.secret!);
    const listed = await alertsCaller(t.viewer).alerts.listChannels({ ...t.scope });
    expect(JSON.stringify(listed)).not.toContain(hook.secret!);
    expect(JSON.stringify(listed)).not.toContain("/once");
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: hook.id })).toEqual({ delivered: true, outcome: "delivered" });
    expect(fakes.receiver.at("/once")).toEqual([expect.objectContaining({ verified: true, body: expect.objectContaining({ type: "alert.test" }) })]);
    // Replaying the signed delivery with a tampered body is rejected by the receiver.
    const original = fakes.receiver.at("/once")[0]!;
    const replay = (body: string) =>
      fetch(fakes.receiver.url("/once"), {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": original.headers.id!,
          "webhook-timestamp": original.headers.timestamp!,
          "webhook-signature": original.headers.signature!,
        },
      });
    expect((await replay(original.rawBody.replace("alert.test", "alert.firing"))).status).toBe(401);
    expect(fakes.receiver.at("/once").at(-1)).toMatchObject({ verified: false, reason: "signature mismatch" });
    expect((await replay(original.rawBody)).status).toBe(204);
    fakes.receiver.failNext(1, 503);
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: hook.id })).toEqual({
      delivered: false,
      outcome: "failed",
      category: "http_status",
      error: "the endpoint answered HTTP 503",
    });
    const mail = await t.caller.alerts.createChannel({ ...t.scope, name: "mail", config: { kind: "email", userIds: [t.member.id] } });
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: mail.id })).toEqual({ delivered: true, outcome: "delivered" });
    expect(fakes.resend.to(t.member.email).map((m) => m.body.subject)).toEqual([`[TEST] Test notification for mail`]);
  });
});

describe("alerts router: editing channels", () => {
  it("members rename, re-point and re-limit a webhook; the secret stays and is never shown again; audited without the URL", async () => {
    const t = await team();
    const asMember = alertsCaller(t.member);
    const hook = await asMember.alerts.createChannel({ ...t.scope, name: "hook", config: { kind: "webhook", url: fakes.receiver.url("/edit-a") } });
    const secret = hook.secret!;
    fakes.receiver.setSecret("/edit-a", secret);
    fakes.receiver.setSecret("/edit-b", secret);

    const updated = await asMember.alerts.updateChannel({
      ...t.scope,
      id: hook.id,
      name: "on-call hook",
      maxPerHour: 5,
      config: { kind: "webhook", url: fakes.receiver.url("/edit-b") },
    });
    expect(updated).toMatchObject({
      id: hook.id,
      name: "on-call hook",
      kind: "webhook",
      maxPerHour: 5,
      config: { kind: "webhook", url: expect.stringMatching(/\/…it-b$/) },
    });
    expect(updated).not.toHaveProperty("secret");
    expect(JSON.stringify(updated)).not.toContain(secret);
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: hook.id })).toEqual({ delivered: true, outcome: "delivered" });
    expect(fakes.receiver.at("/edit-a")).toEqual([]);
    // Signed with the secret shown at creation: receivers need no change when the URL moves.
    expect(fakes.receiver.at("/edit-b")).toEqual([expect.objectContaining({ verified: true })]);

    // Leaving the URL out keeps the stored one.
    await asMember.alerts.updateChannel({ ...t.scope, id: hook.id, name: "hook 2", config: { kind: "webhook" } });
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: hook.id })).toEqual({ delivered: true, outcome: "delivered" });
    expect(fakes.receiver.at("/edit-b")).toHaveLength(2);

    const audits = await prisma.auditLog.findMany({ where: { orgId: t.org.id, action: "alert_channel.updated", targetId: hook.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => (a.metadata as { fields: string[] }).fields)).toEqual([["name", "maxPerHour", "url"], ["name"]]);
    expect(audits[0]!.actorId).toBe(t.member.id);
    expect(JSON.stringify(audits.map((a) => a.metadata))).not.toContain("/edit-b");
    expect((await alertsCaller(t.viewer).alerts.listChannels({ ...t.scope })).map((c) => c.name)).toEqual(["hook 2"]);
  });

  it("changes e-mail recipients; a new URL re-enables a channel its old endpoint disabled", async () => {
    const t = await team();
    const mail = await t.caller.alerts.createChannel({ ...t.scope, name: "mail", config: { kind: "email", userIds: [t.owner.id] } });
    const edited = await t.caller.alerts.updateChannel({ ...t.scope, id: mail.id, config: { kind: "email", userIds: [t.member.id, t.viewer.id] } });
    expect(edited.config).toEqual({ kind: "email", userIds: [t.member.id, t.viewer.id] });
    expect(await t.caller.alerts.testChannel({ ...t.scope, id: mail.id })).toEqual({ delivered: true, outcome: "delivered" });
    expect(fakes.resend.to(t.viewer.email)).toHaveLength(1);
    expect(fakes.resend.to(t.owner.email)).toHaveLength(0);

    const slack = await t.caller.alerts.createChannel({
      ...t.scope,
      name: "slack",
      config: { kind: "slack", url: fakes.slack.url(`T/old-${t.project.slug}`) },
    });
    await prisma.alertChannel.update({ where: { id: slack.id }, data: { disabledAt: new Date(), disabledReason: "HTTP 410 Gone" } });
    const renamed = await t.caller.alerts.updateChannel({ ...t.scope, id: slack.id, name: "slack renamed" });
    expect(renamed.disabledAt).not.toBeNull();
    const repointed = await t.caller.alerts.updateChannel({
      ...t.scope,
      id: slack.id,
      config: { kind: "slack", url: fakes.slack.url(`T/new-${t.project.slug}`) },
    });
    expect(repointed).toMatchObject({ disabledAt: null, disabledReason: null });
  });

  it("refuses bad edits naming the field; viewers are denied; other organisations get NOT_FOUND", async () => {
    const t = await team();
    const hook = await t.caller.alerts.createChannel({ ...t.scope, name: "hook", config: { kind: "webhook", url: fakes.receiver.url("/bad") } });
    const mail = await t.caller.alerts.createChannel({ ...t.scope, name: "mail", config: { kind: "email", userIds: [t.owner.id] } });
    const edit = (input: Record<string, unknown>) => t.caller.alerts.updateChannel({ ...t.scope, ...input } as never);
    await expectTRPCError(edit({ id: hook.id, name: "  " }), "BAD_REQUEST", "name");
    await expectTRPCError(edit({ id: hook.id, maxPerHour: 0 }), "BAD_REQUEST", "maxPerHour");
    await expectTRPCError(edit({ id: hook.id, config: { kind: "webhook", url: "ftp://example.com/x" } }), "BAD_REQUEST", "config");
    await expectTRPCError(edit({ id: mail.id, config: { kind: "email", userIds: [] } }), "BAD_REQUEST", "config");
    await expectTRPCError(edit({ id: "not-a-uuid", name: "x" }), "BAD_REQUEST", "id");
    const outsider = await makeUser("outsider");
    expect((await expectTRPCError(edit({ id: mail.id, config: { kind: "email", userIds: [outsider.id] } }), "BAD_REQUEST")).message).toMatch(
      /^config\.userIds: /,
    );
    expect((await expectTRPCError(edit({ id: mail.id, config: { kind: "slack", url: fakes.slack.url("T/x") } }), "BAD_REQUEST")).message).toMatch(
      /^config\.kind: /,
    );

    await expectTRPCError(alertsCaller(t.viewer).alerts.updateChannel({ ...t.scope, id: hook.id, name: "viewer was here" }), "FORBIDDEN");

    const b = await alertProject();
    const bMail = await b.caller.alerts.createChannel({ ...b.scope, name: "b mail", config: { kind: "email", userIds: [b.owner.id] } });
    await expectTRPCError(t.caller.alerts.updateChannel({ ...t.scope, id: bMail.id, name: "hijack" }), "NOT_FOUND");
    await expectTRPCError(t.caller.alerts.updateChannel({ ...b.scope, id: bMail.id, name: "hijack" }), "NOT_FOUND");
    // A sibling project of the same organisation cannot reach it through its own scope either.
    const sibling = await makeProject(t.org.id);
    await expectTRPCError(t.caller.alerts.updateChannel({ orgSlug: t.org.slug, projectSlug: sibling.slug, id: hook.id, name: "moved" }), "NOT_FOUND");

    const stored = await prisma.alertChannel.findMany({ where: { id: { in: [hook.id, mail.id, bMail.id] } }, orderBy: { name: "asc" } });
    expect(stored.map((c) => [c.name, c.maxPerHour, c.config])).toEqual([
      ["b mail", 20, { kind: "email", userIds: [b.owner.id] }],
      ["hook", 20, { kind: "webhook", url: fakes.receiver.url("/bad") }],
      ["mail", 20, { kind: "email", userIds: [t.owner.id] }],
    ]);
    expect(await auditCount(t.org.id, "alert_channel.updated")).toBe(0);
  });
});

describe("send test notification rate limit", () => {
  it("allows 5 tests per person and channel in 10 minutes, then TOO_MANY_REQUESTS without delivering", async () => {
    const t = await team();
    const mail = await t.caller.alerts.createChannel({ ...t.scope, name: "limited", config: { kind: "email", userIds: [t.member.id] } });
    for (let i = 0; i < 5; i++) expect(await t.caller.alerts.testChannel({ ...t.scope, id: mail.id })).toMatchObject({ delivered: true });
    const sent = fakes.resend.to(t.member.email).length;
    const shape = await expectTRPCError(t.caller.alerts.testChannel({ ...t.scope, id: mail.id }), "TOO_MANY_REQUESTS");
    expect(shape.message).toMatch(/^Too many test notifications to this channel; try again in \d+ s$/);
    expect(fakes.resend.to(t.member.email)).toHaveLength(sent);
    expect(await alertsCaller(t.member).alerts.testChannel({ ...t.scope, id: mail.id })).toMatchObject({ delivered: true }); // per person
  });
});

describe("alerts.evaluationStatus", () => {
  it("tells every reader when rules were evaluated and whether that is behind; only admins see the job's error; other orgs get NOT_FOUND", async () => {
    const t = await team();
    const tick = new Date(Date.now() + 365 * 86_400_000); // newer than any real run of the shared database
    await prisma.$executeRaw`INSERT INTO job_runs (job, tick, instance, status, lease_until, finished_at, duration_ms, error)
      VALUES ('alerts', ${tick}, 'test', 'failed', now(), now(), 4, 'could not claim the tick: connect ECONNREFUSED 10.0.0.5:5432')`;
    try {
      const asOwner = await t.caller.alerts.evaluationStatus(t.scope);
      expect(asOwner).toMatchObject({ databaseReachable: true, lastError: "could not claim the tick: connect ECONNREFUSED 10.0.0.5:5432" });
      expect(typeof asOwner.behind).toBe("boolean");
      const asViewer = await alertsCaller(t.viewer).alerts.evaluationStatus(t.scope);
      expect(asViewer).toMatchObject({ databaseReachable: true, lastError: null, lagSeconds: asOwner.lagSeconds });
      const outsider = await makeUser("outsider");
      await expectTRPCError(alertsCaller(outsider).alerts.evaluationStatus(t.scope), "NOT_FOUND");
    } finally {
      await prisma.$executeRaw`DELETE FROM job_runs WHERE job = 'alerts' AND tick = ${tick}`;
    }
  });
});
