import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows, startPortal, waitFor } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;
beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await portal.close();
});

/** Runs a small program using the SDK (from source, through tsx) in its own process; the portal keeps serving meanwhile. */
function runProgram(body: string): Promise<{ status: number | null; stderr: string }> {
  const sdk = path.resolve("sdk/node/src/index.ts");
  const code = `import { init, logger } from ${JSON.stringify(sdk)};\n${body}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, SIGHTLINE_ENDPOINT: portal.baseUrl, SIGHTLINE_API_KEY: portal.key, SIGHTLINE_SERVICE: "crashy" },
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve) => child.on("exit", (status) => resolve({ status, stderr })));
}

describe("opt-in process handlers and exit flushing", { timeout: 120_000 }, () => {
  it("an uncaught exception is sent as a fatal error (with the logs before it) before the process exits 1", async () => {
    const run = await runProgram(`
      init({ captureUnhandled: true, console: false });
      logger.info("about to crash");
      setTimeout(() => { throw new RangeError("worker crashed"); }, 10);`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("RangeError: worker crashed");
    const errors = await waitFor(
      () => rows<Record<string, any>>(`SELECT * FROM error_events WHERE project_id = $1 AND service = 'crashy'`, [portal.projectId]),
      (r) => r.length > 0,
    );
    expect(errors.map((e) => [e.type, e.level])).toEqual([["RangeError", "fatal"]]);
    expect(errors[0]!.exception.values.at(-1).mechanism).toEqual({ type: "onuncaughtexception", handled: false });
    const [log] = await rows<Record<string, any>>(`SELECT * FROM logs WHERE project_id = $1 AND message = 'about to crash'`, [portal.projectId]);
    expect(log).toBeDefined();
  });

  it("an unhandled rejection likewise; and a process that just ends flushes on beforeExit", async () => {
    const rejected = await runProgram(`init({ captureUnhandled: true, console: false }); Promise.reject(new TypeError("nobody awaited me"));`);
    expect(rejected.status).toBe(1);
    const quiet = await runProgram(`init({ console: false }); logger.warn("last words before a normal exit");`);
    expect(quiet.status).toBe(0);
    const errors = await waitFor(
      () => rows<Record<string, any>>(`SELECT type FROM error_events WHERE project_id = $1 AND type = 'TypeError'`, [portal.projectId]),
      (r) => r.length > 0,
    );
    expect(errors).toHaveLength(1);
    const logs = await rows(`SELECT 1 FROM logs WHERE project_id = $1 AND message = 'last words before a normal exit'`, [portal.projectId]);
    expect(logs).toHaveLength(1);
  });
});
