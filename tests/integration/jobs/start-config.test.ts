import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** `npm start` validates the runner's settings before it starts a database, a build or a server. */
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });

describe("npm start with bad job settings", () => {
  it("an unknown JOBS_RUNNER stops start-up saying which values work", () => {
    const r = start({ JOBS_RUNNER: "cron" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/JOBS_RUNNER must be embedded .* inngest .* or off .*\(JOBS_RUNNER is "cron"\)/);
  });

  it("a bad cron in JOBS_SCHEDULE stops start-up naming the job and giving an example", () => {
    const r = start({ JOBS_SCHEDULE: "alerts=every minute" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/JOBS_SCHEDULE: "every minute" for alerts is not a cron expression .*e\.g\. alerts=\*\/5 \* \* \* \*/);
  });
});
