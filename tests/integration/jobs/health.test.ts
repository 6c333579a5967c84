import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../scripts/lib/test-database";
import { startTcpProxy } from "../../fakes/tcp-proxy";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";
import { countingJob, instancePool, runsOf, sleep, startRunner, uniqueJob, waitFor } from "./runner-harness";

// A database of its own, reached through a TCP proxy: this file decides every job_runs row the
// health route sees, and can take the database away.
const db = await createTestDatabase("health");
const proxy = await startTcpProxy({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port || 5432) });
process.env.DATABASE_URL = proxy.url(db.url);
const { pool } = await import("@/server/db/pool");
const { scheduledJobs } = await import("@/server/jobs/registry");
const route = (await import("@/app/api/health/route")) as RouteModule;

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/health": route });
});
afterAll(async () => {
  await server.close();
  await pool.end();
  await proxy.close();
  await db.drop();
});

const health = async () => {
  const res = await fetch(`${server.baseUrl}/api/health`);
  return {
    status: res.status,
    body: (await res.json()) as {
      status: string;
      database: string;
      jobs: Record<string, { state: string; lastSuccessAt: string | null; lagSeconds: number; lastError: string | null }>;
    },
  };
};

const succeeded = (job: string, at: Date) =>
  pool.query(
    `INSERT INTO job_runs (job, tick, instance, status, started_at, lease_until, finished_at, duration_ms) VALUES ($1, $2, 'test', 'succeeded', $2, $2, $2, 3)`,
    [job, at],
  );

describe("GET /api/health", () => {
  it("answers 200 on a fresh install (no job has run yet), naming every job of the registry", async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.database).toBe("ok");
    expect(Object.keys(body.jobs).sort()).toEqual(
      scheduledJobs()
        .map((j) => j.name)
        .sort(),
    );
    expect(Object.values(body.jobs).every((j) => j.state === "pending" && j.lastSuccessAt === null)).toBe(true);
  });

  it("answers 503 when a job's last success is older than three intervals, and 200 once it recovers", async () => {
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    for (const job of ["rollup", "weekly-report"]) await succeeded(job, new Date(minute));
    await succeeded("alerts", new Date(minute - 10 * 60_000)); // every minute, last success 10 minutes ago
    await pool.query(
      `INSERT INTO job_runs (job, tick, instance, status, started_at, lease_until, finished_at, duration_ms, error)
       VALUES ('alerts', $1, 'test', 'failed', $1, $1, $1, 7, 'relation "alert_rules" is locked')`,
      [new Date(minute - 60_000)],
    );
    const lagging = await health();
    expect(lagging.status).toBe(503);
    expect(lagging.body.status).toBe("unhealthy");
    expect(lagging.body.jobs.alerts).toMatchObject({ state: "lagging", lastError: 'relation "alert_rules" is locked' });
    expect(lagging.body.jobs.alerts!.lagSeconds).toBeGreaterThanOrEqual(9 * 60);
    expect(lagging.body.jobs.rollup).toMatchObject({ state: "ok", lagSeconds: 0, lastError: null });

    await succeeded("alerts", new Date(minute));
    const recovered = await health();
    expect(recovered.status).toBe(200);
    expect(recovered.body.jobs.alerts).toMatchObject({ state: "ok", lagSeconds: 0, lastError: null });
  });

  it("answers 503 while the database is unreachable, and 200 when it is back", async () => {
    await proxy.down();
    try {
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: "unhealthy", database: "unreachable", jobs: {} });
    } finally {
      await proxy.up();
    }
    await waitFor(async () => (await health()).status === 200, 10_000, "health to recover");
  });
});

describe("embedded job runner when the database goes away", () => {
  it("records the failed and missed ticks once it is back, catches up, and neither crashes nor leaks connections", async () => {
    const name = uniqueJob("outage");
    const runnerPool = instancePool(proxy.url(db.url));
    const job = countingJob(name, "* * * * * *", async () => {
      await runnerPool.query("SELECT pg_sleep(0.2)");
      return { ok: true };
    });
    const runner = startRunner(runnerPool, [job.job], { retryMs: 300 });
    try {
      await waitFor(async () => (await runsOf(pool, name)).some((r) => r.status === "succeeded"), 10_000, "a first run");
      await proxy.down();
      await sleep(3_000);
      expect(runnerPool.totalCount).toBeLessThanOrEqual(3);
      await proxy.up();
      const outageEnded = Date.now();
      await waitFor(
        async () => (await runsOf(pool, name)).some((r) => r.status === "succeeded" && r.tick.getTime() > outageEnded),
        15_000,
        "a run after the outage",
      );
    } finally {
      await runner.stop();
      await runnerPool.end();
    }
    const runs = await runsOf(pool, name);
    const failed = runs.filter((r) => r.status === "failed");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((r) => /claim|connect|terminat|ECONN|timeout/i.test(r.error ?? ""))).toBe(true);
    expect(runs.filter((r) => r.status === "running")).toEqual([]);
    expect(new Set(runs.map((r) => r.tick.getTime())).size).toBe(runs.length);
  });
});
