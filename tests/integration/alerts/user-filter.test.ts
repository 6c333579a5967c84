import { describe, expect, it } from "vitest";
import { at, baseMinute, startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, ingestForFile } = await import("./harness");
const { pool } = await import("@/server/db/pool");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { expectTRPCError } = await import("../tenancy-fixtures");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");

const ingest = ingestForFile(fakes);

/** One user's traffic at minute `m`: errors, requests (`failed` of them 500s, at `durationMs`), a priced LLM call, log lines. */
function traffic(
  base: Date,
  m: number,
  user: string,
  n: { errors: number; requests: number; failed: number; durationMs: number; costUsd: number; logs: number },
) {
  const ts = (s: number) => at(base, m, s).toISOString();
  return [
    ...Array.from({ length: n.errors }, (_, i) => ({ type: "error", timestamp: ts(i), message: "payment failed", fingerprint: ["pay"], user: { id: user } })),
    ...Array.from({ length: n.requests }, (_, i) => ({
      type: "request",
      timestamp: ts(i),
      method: "POST",
      route: "/pay",
      path: "/pay",
      status: i < n.failed ? 500 : 200,
      durationMs: n.durationMs,
      userId: user,
    })),
    ...(n.costUsd
      ? [{ type: "llm", timestamp: ts(0), model: "gpt-4o", provider: "openai", inputTokens: 10, outputTokens: 10, costUsd: n.costUsd, userId: user }]
      : []),
    ...Array.from({ length: n.logs }, (_, i) => ({ type: "log", timestamp: ts(i), level: "warn", message: "card declined", userId: user })),
  ];
}

describe("metric rules filtered by user (read from raw rows)", () => {
  it("a rule filtered to user A fires on A's errors, requests, spend and logs, not on B's", async () => {
    const p = await alertProject();
    const a = `user-a-${uniq()}`;
    const b = `user-b-${uniq()}`;
    const send = async (events: Array<Record<string, unknown>>) => {
      const res = await sendBatch(
        ingest.baseUrl,
        p.ingestKey.secret,
        events.map((e) => ({ id: `u-${uniq()}`, ...e })),
      );
      expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(events.length);
    };
    const rule = (name: string, config: Record<string, unknown>) =>
      p.caller.alerts.createRule({ ...p.scope, name, config: { kind: "metric", ...config } as never });
    await rule("A errors", { metric: "error_count", threshold: 3, filters: { user: a } });
    await rule("A requests", { metric: "request_count", threshold: 5, filters: { user: a } });
    await rule("A error rate", { metric: "error_rate", threshold: 0.4, minRequests: 5, filters: { user: a } });
    await rule("A slow payments", { metric: "latency_p95", threshold: 1000, filters: { user: a, route: "/pay" } });
    await rule("A spend", { metric: "llm_spend", threshold: 1, filters: { user: a } });
    await rule("A declines", { metric: "log_count", search: "declined", threshold: 2, filters: { user: a } });
    await rule("A traffic jump", { metric: "request_count", thresholdType: "percent_change", threshold: 100, windowMinutes: 2, filters: { user: a } });
    await rule("B errors", { metric: "error_count", threshold: 3, filters: { user: b } });
    await rule("all errors", { metric: "error_count", threshold: 3 });

    const base = baseMinute();
    const firing = async () => (await p.caller.alerts.listIncidents({ ...p.scope, status: "firing" })).map((i) => i.rule!.name).sort();
    const lastValueFor = async (name: string) => (await p.caller.alerts.listIncidents({ ...p.scope })).find((i) => i.rule!.name === name)?.lastValue;

    // B misbehaves in every way; A only sends a couple of fast, healthy requests.
    await send([
      ...traffic(base, 1, b, { errors: 10, requests: 30, failed: 30, durationMs: 3000, costUsd: 5, logs: 5 }),
      ...traffic(base, 1, a, { errors: 0, requests: 2, failed: 0, durationMs: 20, costUsd: 0, logs: 0 }),
    ]);
    await evaluateAlerts(pool, { now: at(base, 2), projectIds: [p.project.id] });
    expect(await firing()).toEqual(["B errors", "all errors"]);
    expect(await lastValueFor("B errors")).toBe(10);

    // Now A does.
    await send(traffic(base, 3, a, { errors: 5, requests: 10, failed: 6, durationMs: 2000, costUsd: 2, logs: 3 }));
    await evaluateAlerts(pool, { now: at(base, 4), projectIds: [p.project.id] });
    expect(await firing()).toEqual(
      ["A declines", "A error rate", "A errors", "A requests", "A slow payments", "A spend", "A traffic jump", "B errors", "all errors"].sort(),
    );
    expect(await lastValueFor("A errors")).toBe(5);
    expect(await lastValueFor("A requests")).toBe(12);
    expect(await lastValueFor("A error rate")).toBeCloseTo(0.5, 5);
    expect(await lastValueFor("A spend")).toBeCloseTo(2, 5);
    expect(await lastValueFor("A declines")).toBe(3);
    expect(await lastValueFor("A traffic jump")).toBe(400); // 10 requests against 2 in the previous two minutes
    expect(await lastValueFor("A slow payments")).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it("a user filter is refused where no user is recorded (error-group counts)", async () => {
    const p = await alertProject();
    await expectTRPCError(
      p.caller.alerts.createRule({ ...p.scope, name: "x", config: { kind: "group_count", threshold: 1, filters: { user: "u" } } as never }),
      "BAD_REQUEST",
      "config",
    );
  });
});
