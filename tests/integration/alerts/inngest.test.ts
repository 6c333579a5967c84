import { afterAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

const fakes = await startAlertFakes();
const { alertProject, sendErrors, startIngest } = await import("./harness");
const { alertsFunction, functions } = await import("@/server/jobs/client");
const { JOBS } = await import("@/server/jobs/registry");
const { InngestTestEngine } = await import("@inngest/test");

afterAll(() => fakes.close());

describe("alert jobs", () => {
  it("the every-minute Inngest function runs the real evaluation and delivers", async () => {
    const ingest = await startIngest();
    try {
      const p = await alertProject();
      const name = `inngest/${p.project.slug}`;
      const slack = await p.caller.alerts.createChannel({ ...p.scope, name: "slack", config: { kind: "slack", url: fakes.slack.url(name) } });
      await p.caller.alerts.createRule({
        ...p.scope,
        name: "any error",
        channelIds: [slack.id],
        config: { kind: "metric", metric: "error_count", threshold: 0, windowMinutes: 30 },
      });
      await sendErrors(ingest.baseUrl, p.ingestKey.secret, new Date(Date.now() - 120_000), 2);
      const { result, error } = await new InngestTestEngine({ function: alertsFunction }).execute();
      expect(error).toBeUndefined();
      expect(result).toMatchObject({ minute: expect.any(String), rules: expect.any(Number) });
      expect(fakes.slack.to(name)).toHaveLength(1);
    } finally {
      await ingest.close();
    }
  });

  it("alerts and weekly reports are scheduled Inngest functions and CLI jobs", () => {
    expect(functions.map((f) => f.id())).toEqual(expect.arrayContaining(["alerts", "weekly-report"]));
    expect(JOBS.alerts.cron).toBe("* * * * *");
    expect(JOBS["weekly-report"].cron).toBe("0 * * * *");
  });
});
