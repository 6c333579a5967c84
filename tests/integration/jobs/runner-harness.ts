import { randomBytes } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { JobRunner, type RunnableJob } from "@/server/jobs/runner";
import { listRuns } from "@/server/jobs/runs";

export const quietLog = pino({ level: "silent" });

/** A job name no other test uses, so tests can share the integration database. */
export const uniqueJob = (label: string) => `t-${label}-${randomBytes(3).toString("hex")}`;

/** A pool of its own, as a separate portal instance has; idle-connection errors are expected in fault tests. */
export function instancePool(connectionString = process.env.DATABASE_URL!) {
  const pool = new pg.Pool({ connectionString, max: 3, connectionTimeoutMillis: 2_000 });
  pool.on("error", () => {});
  return pool;
}

/** A job that counts its runs per tick (the tick it ran for is not passed to bodies, so the start time stands for it). */
export function countingJob(name: string, cron: string, body: () => Promise<unknown> = async () => ({ ok: true })) {
  const calls: Date[] = [];
  const job: RunnableJob = {
    name,
    cron,
    run: async () => {
      calls.push(new Date());
      return body();
    },
  };
  return { job, calls };
}

export function startRunner(pool: pg.Pool, jobs: RunnableJob[], options: { instance?: string; leaseMs?: number; retryMs?: number } = {}) {
  const runner = new JobRunner({
    pool,
    jobs,
    log: quietLog,
    instance: options.instance ?? uniqueJob("instance"),
    leaseMs: options.leaseMs ?? 5_000,
    retryMs: options.retryMs ?? 200,
  });
  runner.start();
  return runner;
}

export const runsOf = (db: Pick<pg.Pool, "query">, job: string) => listRuns(db, job, 500);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
