import { describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

// The seeded month lies two months back: widen the ingest window before env.ts is read.
process.env.INGEST_MAX_PAST_SECONDS = String(120 * 86_400);
const fakes = await startAlertFakes();
const { alertProject, ingestForFile } = await import("./harness");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { evaluateAlerts } = await import("@/server/alerts/evaluate");
const { getLlmUsage } = await import("@/server/dashboards/llm");
const { pool } = await import("@/server/db/pool");

const DAY = 86_400_000;
const MINUTE = 60_000;

const ingest = ingestForFile(fakes);

describe("LLM budget: projected overrun", () => {
  it("a budget whose month-end projection exceeds it notifies once, with the projection in the message", async () => {
    const p = await alertProject();
    const today = new Date();
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 2, 1));
    const nextMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    // Mid-month, with a full week of history: $1 a day on days 1..14, evaluated on the 15th at noon.
    const now = new Date(month.getTime() + 14 * DAY + 12 * 3_600_000);
    const calls = Array.from({ length: 14 }, (_, d) => ({
      type: "llm",
      id: `b-${uniq()}`,
      timestamp: new Date(month.getTime() + d * DAY + 10 * 3_600_000).toISOString(),
      provider: "openai",
      model: "gpt-4o",
      operation: "chat",
      inputTokens: 1000,
      outputTokens: 100,
      costUsd: 1,
    }));
    const res = await sendBatch(ingest.baseUrl, p.ingestKey.secret, calls);
    expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(calls.length);

    const slackName = `budget/${p.project.slug}`;
    const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "spend", config: { kind: "slack", url: fakes.slack.url(slackName) } });
    // $14 spent is below 100% of $25, but $14 + $1/day × the days left is above it.
    await p.caller.alerts.createRule({
      ...p.scope,
      name: "monthly LLM budget",
      severity: "warning",
      channelIds: [slack.id],
      repeatIntervalMinutes: null,
      config: { kind: "budget", amountUsd: 25, notifyAtPercent: [100], notifyOnProjectedOverrun: true },
    });

    const daysLeft = (nextMonth.getTime() - now.getTime()) / DAY;
    const projected = 14 + daysLeft;
    const dashboard = await getLlmUsage(pool, { projectId: p.project.id, from: month, to: now, timeZone: "UTC", filters: {}, includeSpend: true });
    expect("projection" in dashboard && dashboard.projection.projectedMonthEndUsd).toBeCloseTo(projected, 6);

    for (const m of [0, 1, 2, 10, 60]) await evaluateAlerts(pool, { now: new Date(now.getTime() + m * MINUTE), projectIds: [p.project.id] });

    const messages = fakes.slack.to(slackName).map((m) => m.body.text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`projected to reach $${projected.toFixed(2)} by month end, over the $25 budget`);
    const incidents = await p.caller.alerts.listIncidents({ ...p.scope });
    expect(incidents.map((i) => [i.status, i.dedupKey.endsWith(":projected")])).toEqual([["firing", true]]);
    expect(incidents[0]!.title).toContain(`$${projected.toFixed(2)}`);
    // Still evaluated while firing (an hour later, an hour less left at $1/day), without notifying again.
    expect(incidents[0]!.lastValue).toBeCloseTo(projected - 1 / 24, 6);
  });
});
