/**
 * What GET /api/health and `npm run job -- status` report: whether the database answers and, per
 * job, its last success, how far it is behind its schedule and its last error. A job is lagging
 * when its last success is older than three of its intervals. No tenant data is read.
 */
import type { Db } from "@/server/db/sql";
import { latestTick, nextTick, tickIntervalMs } from "./schedule";

export type JobHealth = {
  cron: string;
  state: "ok" | "lagging" | "pending";
  lastSuccessAt: string | null;
  /** Seconds since the first tick after the last success came due without succeeding (0 when on schedule). */
  lagSeconds: number;
  lastError: string | null;
  lastRunAt: string | null;
  lastRunStatus: string | null;
};
export type Health = { status: "ok" | "unhealthy"; database: "ok" | "unreachable"; jobs: Record<string, JobHealth> };

type Row = {
  job: string;
  success_at: Date | null;
  success_tick: Date | null;
  first_started: Date | null;
  last_status: string | null;
  last_error: string | null;
  last_at: Date | null;
};

const DATABASE_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}

/** Reads the health of `jobs`; `status` is unhealthy when the database is unreachable or a job lags. */
export async function readHealth(db: Db, jobs: { name: string; cron: string }[], now = new Date()): Promise<Health> {
  let rows: Row[];
  try {
    rows = (
      await withTimeout(
        db.query<Row>(
          `SELECT j.job, s.finished_at AS success_at, s.tick AS success_tick, f.started_at AS first_started,
              l.status AS last_status, l.error AS last_error, coalesce(l.finished_at, l.started_at) AS last_at
         FROM unnest($1::text[]) AS j(job)
         LEFT JOIN LATERAL (SELECT tick, finished_at FROM job_runs WHERE job = j.job AND status = 'succeeded' ORDER BY tick DESC LIMIT 1) s ON true
         LEFT JOIN LATERAL (SELECT started_at FROM job_runs WHERE job = j.job ORDER BY tick LIMIT 1) f ON true
         LEFT JOIN LATERAL (SELECT status, error, finished_at, started_at FROM job_runs WHERE job = j.job ORDER BY tick DESC, attempt DESC LIMIT 1) l ON true`,
          [jobs.map((j) => j.name)],
        ),
        DATABASE_TIMEOUT_MS,
      )
    ).rows;
  } catch {
    return { status: "unhealthy", database: "unreachable", jobs: {} };
  }
  const byJob = new Map(rows.map((r) => [r.job, r]));
  const out: Record<string, JobHealth> = {};
  for (const job of jobs) {
    const r = byJob.get(job.name);
    const intervalMs = tickIntervalMs(job.cron, now);
    // Never succeeded: judged from its first recorded run; no run at all yet is pending (a fresh install).
    const since = r?.success_at ?? r?.first_started ?? null;
    const overdueFrom = r?.success_tick ? nextTick(job.cron, r.success_tick) : r?.first_started ? latestTick(job.cron, r.first_started) : null;
    const lagSeconds = overdueFrom ? Math.max(0, Math.floor((now.getTime() - overdueFrom.getTime()) / 1000)) : 0;
    const lagging = since !== null && now.getTime() - since.getTime() > 3 * intervalMs;
    out[job.name] = {
      cron: job.cron,
      state: since === null ? "pending" : lagging ? "lagging" : "ok",
      lastSuccessAt: r?.success_at?.toISOString() ?? null,
      lagSeconds,
      lastError: r?.last_status === "failed" || r?.last_status === "abandoned" ? r.last_error : null,
      lastRunAt: r?.last_at?.toISOString() ?? null,
      lastRunStatus: r?.last_status ?? null,
    };
  }
  const healthy = Object.values(out).every((j) => j.state !== "lagging");
  return { status: healthy ? "ok" : "unhealthy", database: "ok", jobs: out };
}
