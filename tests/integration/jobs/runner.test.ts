import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { latestTick } from "@/server/jobs/schedule";
import { countingJob, instancePool, runsOf, sleep, startRunner, uniqueJob, waitFor } from "./runner-harness";

const pools = [instancePool(), instancePool()];
const [poolA, poolB] = pools as [ReturnType<typeof instancePool>, ReturnType<typeof instancePool>];
afterAll(() => Promise.all(pools.map((p) => p.end())));

describe("embedded job runner: two instances on one database", () => {
  it("runs every tick of a fast schedule exactly once", async () => {
    const name = uniqueJob("once");
    const a = countingJob(name, "* * * * * *", async () => sleep(150));
    const b = countingJob(name, "* * * * * *", async () => sleep(150));
    const runners = [startRunner(poolA, [a.job], { instance: "instance-a" }), startRunner(poolB, [b.job], { instance: "instance-b" })];
    await sleep(5_200);
    await Promise.all(runners.map((r) => r.stop()));

    const runs = await runsOf(poolA, name);
    const ticks = runs.map((r) => r.tick.getTime());
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(runs.length); // one row per tick
    expect(a.calls.length + b.calls.length).toBe(runs.length); // one body call per tick, across both instances
    expect(runs.every((r) => r.status === "succeeded" && r.attempt === 1)).toBe(true);
    expect(new Set(runs.map((r) => r.instance))).toEqual(new Set(["instance-a", "instance-b"]));
  });

  it("a run whose process was killed is taken over once its lease expires", async () => {
    const name = uniqueJob("killed");
    const cron = "0 0 1 1 *"; // the latest tick (1 January) stays the same for the whole test
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "hanging-runner.ts")], {
      env: { ...process.env, JOB_NAME: name, JOB_CRON: cron, LEASE_MS: "1500" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("started") && resolve());
      child.on("exit", (code) => reject(new Error(`hanging runner exited with ${code} before starting its job`)));
    });
    child.kill("SIGKILL");
    const [abandoned] = await runsOf(poolA, name);
    expect(abandoned).toMatchObject({ status: "running", instance: "killed-instance", attempt: 1 });

    const survivor = countingJob(name, cron);
    const runner = startRunner(poolB, [survivor.job], { instance: "survivor", leaseMs: 1_500 });
    await waitFor(async () => (await runsOf(poolB, name))[0]?.status === "succeeded", 10_000, "the survivor to run the tick");
    await runner.stop();
    const runs = await runsOf(poolB, name);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", instance: "survivor", attempt: 2 });
    expect(runs[0]!.tick.getTime()).toBe(latestTick(cron, new Date())!.getTime());
    expect(survivor.calls).toHaveLength(1);
  });

  it("after downtime, the missed ticks are caught up by one run, not one per tick", async () => {
    const name = uniqueJob("catchup");
    const cron = "0 * * * *";
    const now = new Date();
    const latest = latestTick(cron, now)!;
    const before = new Date(latest.getTime() - 5 * 3_600_000); // the last run before five hours of downtime
    await poolA.query(
      `INSERT INTO job_runs (job, tick, instance, status, started_at, lease_until, finished_at, duration_ms) VALUES ($1, $2, 'old', 'succeeded', $2, $2, $2, 5)`,
      [name, before],
    );
    const job = countingJob(name, cron);
    const runner = startRunner(poolA, [job.job]);
    await waitFor(() => job.calls.length > 0, 10_000, "the catch-up run");
    await sleep(500);
    await runner.stop();
    expect(job.calls).toHaveLength(1);
    const runs = await runsOf(poolA, name);
    expect(runs.map((r) => r.tick.getTime())).toEqual([latestTick(cron, new Date())!.getTime(), before.getTime()]);
  });

  it("a failing job is recorded with its error, retried at its next tick, and the others still run", async () => {
    const failing = countingJob(uniqueJob("fails"), "* * * * * *", async () => {
      throw new Error("provider unreachable: ECONNREFUSED");
    });
    const healthy = countingJob(uniqueJob("works"), "* * * * * *");
    const runner = startRunner(poolA, [failing.job, healthy.job]);
    await sleep(3_200);
    await runner.stop();
    const failed = await runsOf(poolA, failing.job.name);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((r) => r.status === "failed" && r.error === "provider unreachable: ECONNREFUSED")).toBe(true);
    const ok = await runsOf(poolA, healthy.job.name);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(ok.every((r) => r.status === "succeeded")).toBe(true);
  });

  it("a long run is never overlapped by the job's next ticks; the latest is run once it ends", async () => {
    const name = uniqueJob("long");
    let concurrent = 0;
    let maxConcurrent = 0;
    const slow = async () => {
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      await sleep(2_300);
      concurrent--;
    };
    const a = countingJob(name, "* * * * * *", slow);
    const b = countingJob(name, "* * * * * *", slow);
    const runners = [startRunner(poolA, [a.job]), startRunner(poolB, [b.job])];
    await sleep(5_500);
    await Promise.all(runners.map((r) => r.stop(5_000)));
    expect(maxConcurrent).toBe(1);
    expect(a.calls.length + b.calls.length).toBeGreaterThanOrEqual(2);
    expect(a.calls.length + b.calls.length).toBeLessThanOrEqual(3);
  });
});
