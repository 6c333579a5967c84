import { afterAll, describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, startIngest } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { prisma } = await import("@/server/db/prisma");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");

afterAll(() => fakes.close());

describe("every rule kind, evaluated together through the real ingest path", () => {
  it("fires exactly the rules whose condition holds", async () => {
    const ingest = await startIngest();
    try {
      const p = await alertProject();
      const base = baseMinute();
      const send = async (events: Array<Record<string, unknown>>) => {
        const res = await sendBatch(
          ingest.baseUrl,
          p.ingestKey.secret,
          events.map((e) => ({ id: `k-${uniq()}`, ...e })),
        );
        expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(events.length);
      };
      const ts = (m: number, s: number) => at(base, m, s).toISOString();
      const requests = [
        ...Array.from({ length: 10 }, (_, i) => ({
          type: "request",
          timestamp: ts(-1, i),
          method: "GET",
          route: "/home",
          path: "/",
          status: 200,
          durationMs: 10,
        })),
        ...Array.from({ length: 30 }, (_, i) => ({
          type: "request",
          timestamp: ts(1, i),
          method: "POST",
          route: "/checkout",
          path: "/checkout",
          status: i < 6 ? 500 : 200,
          durationMs: 1000 + i,
        })),
        ...Array.from({ length: 30 }, (_, i) => ({
          type: "request",
          timestamp: ts(1, i),
          method: "GET",
          route: "/home",
          path: "/",
          status: 200,
          durationMs: 10,
        })),
      ];
      await send([
        ...requests,
        ...["payment declined for card 4242", "payment declined: insufficient funds", "Payment Declined", "user signed in", "cache miss"].map((message, i) => ({
          type: "log",
          timestamp: ts(1, i),
          level: "warn",
          message,
        })),
        { type: "llm", timestamp: ts(1, 0), provider: "openai", model: "gpt-4o", operation: "chat", inputTokens: 100_000, outputTokens: 0 },
        ...Array.from({ length: 3 }, (_, i) => ({ type: "error", timestamp: ts(1, i), message: "card processor timeout", fingerprint: ["kinds-new"] })),
        { type: "error", timestamp: ts(-60, 0), message: "old bug", fingerprint: ["kinds-old"] },
      ]);
      // The old bug was resolved, then happens again: a regression.
      await prisma.errorGroup.updateMany({ where: { projectId: p.project.id, title: "old bug" }, data: { status: "resolved", resolvedAt: at(base, 1, 10) } });
      await send([{ type: "error", timestamp: ts(1, 30), message: "old bug", fingerprint: ["kinds-old"] }]);

      const slack = await p.caller.alerts.createChannel({
        ...p.scope,
        name: "all",
        maxPerHour: 100,
        config: { kind: "slack", url: fakes.slack.url(`kinds/${p.project.slug}`) },
      });
      const metric = (name: string, config: Record<string, unknown>) =>
        p.caller.alerts.createRule({ ...p.scope, name, channelIds: [slack.id], config: { kind: "metric", ...config } as never });
      await metric("checkout p95", { metric: "latency_p95", threshold: 800, filters: { route: "/checkout" }, minRequests: 20 });
      await metric("home p95", { metric: "latency_p95", threshold: 800, filters: { route: "/home" } });
      await metric("checkout p99 guarded", { metric: "latency_p99", threshold: 800, filters: { route: "/checkout" }, minRequests: 100 });
      await metric("error rate", { metric: "error_rate", threshold: 0.05 });
      await metric("traffic spike", { metric: "request_count", thresholdType: "percent_change", threshold: 100, windowMinutes: 2 });
      await metric("declines", { metric: "log_count", search: "payment declined", threshold: 2 });
      await metric("spend", { metric: "llm_spend", threshold: 0.2 });
      await metric("tokens", { metric: "llm_tokens", threshold: 1_000_000 });
      await metric("drop", { metric: "request_count", comparison: "below", threshold: 5 });
      const issue = (name: string, config: Record<string, unknown>) =>
        p.caller.alerts.createRule({ ...p.scope, name, channelIds: [slack.id], config: config as never });
      // The old bug was first seen an hour ago: outside the 60-minute window, so only the new group fires.
      await issue("new errors", { kind: "new_group", windowMinutes: 60 });
      await issue("regressions", { kind: "regression", windowMinutes: 60 });
      await issue("noisy group", { kind: "group_count", threshold: 2, windowMinutes: 10 });
      await issue("budget", { kind: "budget", amountUsd: 0.4, notifyAtPercent: [50, 100], notifyOnProjectedOverrun: false });

      await evaluateAlerts(pool, { now: at(base, 3), projectIds: [p.project.id] });
      const incidents = await p.caller.alerts.listIncidents({ ...p.scope });
      const fired = incidents
        .map((i) => `${i.rule!.name}${i.labels && (i.labels as Record<string, string>).percent ? `@${(i.labels as Record<string, string>).percent}` : ""}`)
        .sort();
      expect(fired).toEqual(
        ["budget@50", "checkout p95", "declines", "error rate", "new errors", "noisy group", "regressions", "spend", "traffic spike"].sort(),
      );
      expect(incidents.find((i) => i.rule!.name === "regressions")!.title).toContain("Regression: old bug");
      expect(incidents.find((i) => i.rule!.name === "noisy group")!.title).toContain("card processor timeout seen 3 times");
      expect(fakes.slack.to(`kinds/${p.project.slug}`)).toHaveLength(9);
    } finally {
      await ingest.close();
    }
  }, 120_000);
});
