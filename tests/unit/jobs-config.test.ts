import { describe, expect, it } from "vitest";
import { resolveJobsRunner, ZJobsRunner, ZJobsSchedule } from "@/server/job-settings";
import { latestTick, nextTick, tickIntervalMs } from "@/server/jobs/schedule";

describe("JOBS_RUNNER and JOBS_SCHEDULE", () => {
  it("defaults to inngest when Inngest is configured, else embedded; explicit wins", () => {
    expect(resolveJobsRunner(undefined, undefined)).toBe("embedded");
    expect(resolveJobsRunner(undefined, "signkey-prod-abc")).toBe("inngest");
    expect(resolveJobsRunner("off", "signkey-prod-abc")).toBe("off");
  });

  it("refuses an unknown runner with a message that lists the choices", () => {
    const r = ZJobsRunner.safeParse("cron");
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/embedded .* inngest .* off/);
  });

  it("parses name=cron pairs, and names the pair when a name or a cron is wrong", () => {
    expect(ZJobsSchedule.parse("alerts=*/2 * * * *; weekly-report=0 6 * * 1")).toEqual({ alerts: "*/2 * * * *", "weekly-report": "0 6 * * 1" });
    const badCron = ZJobsSchedule.safeParse("alerts=61 * * * *");
    expect(badCron.error!.issues[0]!.message).toMatch(/"61 \* \* \* \*" for alerts is not a cron expression/);
    const badName = ZJobsSchedule.safeParse("backup=0 * * * *");
    expect(badName.error!.issues[0]!.message).toMatch(/"backup=0 \* \* \* \*" must be name=cron with a name among rollup, alerts, weekly-report/);
  });
});

describe("cron ticks (UTC)", () => {
  const at = new Date("2026-12-03T19:30:00.000Z");
  it("the latest tick includes an instant that is itself a tick", () => {
    expect(latestTick("*/15 * * * *", at)).toEqual(at);
    expect(latestTick("0 * * * *", at)).toEqual(new Date("2026-12-03T19:00:00.000Z"));
    expect(nextTick("0 * * * *", at)).toEqual(new Date("2026-12-03T20:00:00.000Z"));
  });
  it("an irregular schedule is judged by its longer gap", () => {
    expect(tickIntervalMs("* * * * *", at)).toBe(60_000);
    expect(tickIntervalMs("0 9,17 * * *", new Date("2026-12-03T10:00:00Z"))).toBe(16 * 3_600_000);
  });
});
