import { afterAll, describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

// A metric rule on any metric the app sends ("custom_metric"): the same aggregations and attribute
// filters as the metrics explorer, a threshold, `for`, and an e-mail channel (the recording fake).

const fakes = await startAlertFakes();
const { alertProject, startIngest } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { sendBatch } = await import("../ingest/fixtures");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { expectTRPCError } = await import("../tenancy-fixtures");

afterAll(() => fakes.close());

describe("alert rules on a custom metric", () => {
  it("fires on a cumulative counter's rate for one attribute value after `for`, into e-mail; other rules stay quiet", async () => {
    const ingest = await startIngest();
    try {
      const p = await alertProject();
      const base = baseMinute();
      // Cumulative totals every 20 s from base−4 min: /pay rises by 60 per 20 s (3/s), /home by 1 (0.05/s).
      const events = [];
      for (let k = 0; k <= 24; k++) {
        for (const [route, step] of [
          ["/pay", 60],
          ["/home", 1],
        ] as const)
          events.push({
            type: "metric",
            name: "http.server.errors",
            kind: "counter",
            temporality: "cumulative",
            startTimestamp: at(base, -5).getTime(),
            timestamp: at(base, -4, k * 20).toISOString(),
            value: step * (k + 1),
            attributes: { route },
          });
      }
      const res = await sendBatch(ingest.baseUrl, p.ingestKey.secret, events);
      expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(events.length);

      const email = await p.caller.alerts.createChannel({ ...p.scope, name: "mail", config: { kind: "email", userIds: [p.owner.id] } });
      const rule = (name: string, custom: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        p.caller.alerts.createRule({
          ...p.scope,
          name,
          severity: "critical",
          channelIds: [email.id],
          config: { kind: "metric", metric: "custom_metric", custom, threshold: 1, windowMinutes: 2, forMinutes: 1, ...extra } as never,
        });
      await rule("pay errors/s", { name: "http.server.errors", kind: "counter", aggregation: "rate", attributes: [{ key: "route", value: "/pay" }] });
      await rule("home errors/s", { name: "http.server.errors", kind: "counter", aggregation: "rate", attributes: [{ key: "route", value: "/home" }] });
      await rule("all errors (increase)", { name: "http.server.errors", kind: "counter", aggregation: "increase" }, { threshold: 10_000 });

      await evaluateAlerts(pool, { now: at(base, 0, 30), projectIds: [p.project.id] }); // pending: `for` 1 minute
      expect(fakes.resend.to(p.owner.email)).toHaveLength(0);
      await evaluateAlerts(pool, { now: at(base, 1, 30), projectIds: [p.project.id] });
      const subjects = fakes.resend.to(p.owner.email).map((m) => m.body.subject);
      expect(subjects).toHaveLength(1);
      expect(subjects[0]).toMatch(/^\[FIRING · critical\] pay errors\/s/);
      const incidents = await p.caller.alerts.listIncidents({ ...p.scope });
      expect(incidents.map((i) => i.rule!.name)).toEqual(["pay errors/s"]);
    } finally {
      await ingest.close();
    }
  }, 120_000);

  it("refuses a custom rule without its metric, or with an aggregation the kind lacks, naming the field", async () => {
    const p = await alertProject();
    const create = (config: Record<string, unknown>) =>
      p.caller.alerts.createRule({ ...p.scope, name: "x", config: { kind: "metric", metric: "custom_metric", threshold: 1, ...config } as never });
    expect((await expectTRPCError(create({}), "BAD_REQUEST", "config")).message).toContain("custom_metric needs the metric's name");
    const wrong = await expectTRPCError(create({ custom: { name: "q", kind: "gauge", aggregation: "rate" } }), "BAD_REQUEST", "config");
    expect(wrong.message).toContain("a gauge takes last, avg, min, max");
  });
});
