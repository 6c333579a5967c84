import { afterAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

// The operator has NOT allowed private webhooks in this file.
const fakes = await startAlertFakes({ allowPrivate: false });
const { alertProject, sendErrors, startIngest } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { expectTRPCError } = await import("../tenancy-fixtures");
const { prisma } = await import("@/server/db/prisma");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { assertSafeWebhookUrl } = await import("@/server/alerts/ssrf");
const { newWebhookSecret } = await import("@/server/alerts/signing");

afterAll(() => fakes.close());

describe("SSRF guard without ALERTS_ALLOW_PRIVATE_WEBHOOKS", () => {
  it("refuses webhook and Slack URLs that resolve to loopback, link-local or private addresses", async () => {
    const p = await alertProject();
    for (const url of [
      fakes.receiver.url("/x"),
      "http://localhost:9/x",
      "http://10.1.2.3/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:8080/",
      "http://[fd00::1]/",
      "http://192.168.0.10/",
      "http://0.0.0.0/",
      fakes.receiver.url("/x").replace("127.0.0.1", "[::ffff:127.0.0.1]"),
      "http://[::ffff:169.254.169.254]/latest/meta-data",
      "http://[64:ff9b::a9fe:a9fe]/",
    ]) {
      const shape = await expectTRPCError(p.caller.alerts.createChannel({ ...p.scope, name: "internal", config: { kind: "webhook", url } }), "BAD_REQUEST");
      expect(shape.message).toMatch(/config\.url: .*(loopback, link-local or private|does not resolve)/);
    }
    await expectTRPCError(p.caller.alerts.createChannel({ ...p.scope, name: "s", config: { kind: "slack", url: fakes.slack.url() } }), "BAD_REQUEST");
    expect(await prisma.alertChannel.count({ where: { projectId: p.project.id } })).toBe(0);
    await expect(assertSafeWebhookUrl("http://93.184.215.14/hook")).resolves.toBeUndefined();
    await expect(assertSafeWebhookUrl(fakes.receiver.url("/x"), true)).resolves.toBeUndefined();
  });

  it("a channel's new URL passes the same guard when edited; the stored URL stays on refusal", async () => {
    const p = await alertProject();
    const hook = await p.caller.alerts.createChannel({ ...p.scope, name: "public", config: { kind: "webhook", url: "http://93.184.215.14/hook" } });
    const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "slack", config: { kind: "slack", url: "https://93.184.215.14/services/T/B/x" } });
    for (const url of [
      fakes.receiver.url("/x"),
      "http://localhost:9/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:8080/",
      "http://10.1.2.3/x",
    ]) {
      const shape = await expectTRPCError(p.caller.alerts.updateChannel({ ...p.scope, id: hook.id, config: { kind: "webhook", url } }), "BAD_REQUEST");
      expect(shape.message).toMatch(/config\.url: .*(loopback, link-local or private|does not resolve)/);
    }
    await expectTRPCError(
      p.caller.alerts.updateChannel({ ...p.scope, id: slack.id, name: "renamed", config: { kind: "slack", url: fakes.slack.url() } }),
      "BAD_REQUEST",
    );
    const stored = await prisma.alertChannel.findMany({ where: { projectId: p.project.id }, orderBy: { name: "asc" } });
    expect(stored.map((c) => [c.name, (c.config as { url: string }).url])).toEqual([
      ["public", "http://93.184.215.14/hook"],
      ["slack", "https://93.184.215.14/services/T/B/x"],
    ]);
    await expect(
      p.caller.alerts.updateChannel({ ...p.scope, id: hook.id, config: { kind: "webhook", url: "https://93.184.215.14/other" } }),
    ).resolves.toMatchObject({ config: { url: "https://93.184.215.14/…ther" } });
  });

  it("re-checks at delivery time: a stored private URL is refused and the failure recorded, not sent", async () => {
    const ingest = await startIngest();
    try {
      const p = await alertProject();
      // As if the host's DNS changed to a private address after the channel was saved.
      const channel = await prisma.alertChannel.create({
        data: {
          projectId: p.project.id,
          name: "rebound",
          kind: "webhook",
          config: { kind: "webhook", url: fakes.receiver.url("/rebound") },
          secret: newWebhookSecret(),
        },
      });
      await p.caller.alerts.createRule({
        ...p.scope,
        name: "errors",
        channelIds: [channel.id],
        config: { kind: "metric", metric: "error_count", threshold: 0, windowMinutes: 30 },
      });
      // Stamped slightly ahead so that only this test's evaluation (at +4 min) sees them.
      await sendErrors(ingest.baseUrl, p.ingestKey.secret, new Date(Date.now() + 120_000), 1);
      await evaluateAlerts(pool, { now: new Date(Date.now() + 240_000), projectIds: [p.project.id] });
      expect(fakes.receiver.at("/rebound")).toHaveLength(0);
      const [incident] = await p.caller.alerts.listIncidents({ ...p.scope });
      const detail = await p.caller.alerts.getIncident({ ...p.scope, id: incident!.id });
      expect(detail.deliveries).toEqual([expect.objectContaining({ status: "failed", lastError: expect.stringMatching(/^refused: /) })]);
      expect(detail.events.map((e) => e.kind)).toContain("notification_failed");
    } finally {
      await ingest.close();
    }
  });
});
