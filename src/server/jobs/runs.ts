/**
 * The `job_runs` table: how a (job, tick) is claimed once across instances, kept alive by a lease,
 * taken over when its process died, and recorded with its outcome. Every function takes its handle.
 */
import type pg from "pg";
import type { Db } from "@/server/db/sql";

export type RunStatus = "running" | "succeeded" | "failed" | "abandoned";
export type ClaimedRun = { id: string; job: string; tick: Date; instance: string; attempt: number };
export type ClaimResult =
  | { status: "claimed"; run: ClaimedRun }
  /** The tick (or a later one) already ran or failed: nothing to do until the next tick. */
  | { status: "done" }
  /** A live run of this job holds a lease (this tick elsewhere, or an earlier tick still running): look again then. */
  | { status: "taken"; leaseUntil: Date };

const MAX_ERROR_CHARS = 2000;
const MAX_RESULT_CHARS = 2000;
const RUN_HISTORY_DAYS = 14;

/**
 * Claims `tick` of `job` for `instance`, in one transaction serialised per job by an advisory lock.
 * Runs whose lease has passed are marked abandoned first; an abandoned run of this very tick is
 * taken over (attempt + 1). A job never runs twice at once, and a tick older than one already
 * handled is never run (catch-up after downtime runs the latest tick once, not every missed one).
 */
export async function claimRun(pool: pg.Pool, options: { job: string; tick: Date; instance: string; leaseMs: number }): Promise<ClaimResult> {
  const { job, tick, instance, leaseMs } = options;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sightline:job:' || $1))`, [job]);
    await client.query(
      `UPDATE job_runs SET status = 'abandoned', finished_at = now(),
              error = 'lease expired at ' || to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ': instance ' || instance || ' stopped renewing it (crashed, killed or cut off)'
        WHERE job = $1 AND status = 'running' AND lease_until < now()`,
      [job],
    );
    const live = await client.query<{ lease_until: Date }>(
      `SELECT lease_until FROM job_runs WHERE job = $1 AND status = 'running' ORDER BY lease_until DESC LIMIT 1`,
      [job],
    );
    if (live.rows[0]) {
      await client.query("COMMIT");
      return { status: "taken", leaseUntil: live.rows[0].lease_until };
    }
    const handled = await client.query(`SELECT 1 FROM job_runs WHERE job = $1 AND tick >= $2 AND status IN ('succeeded', 'failed') LIMIT 1`, [job, tick]);
    if (handled.rowCount) {
      await client.query("COMMIT");
      return { status: "done" };
    }
    const { rows } = await client.query<{ id: string; attempt: number }>(
      `INSERT INTO job_runs (job, tick, instance, status, lease_until)
       VALUES ($1, $2, $3, 'running', now() + $4 * interval '1 millisecond')
       ON CONFLICT (job, tick) DO UPDATE SET instance = EXCLUDED.instance, status = 'running', attempt = job_runs.attempt + 1,
              started_at = now(), lease_until = EXCLUDED.lease_until, finished_at = NULL, duration_ms = NULL, result = NULL, error = NULL
       RETURNING id, attempt`,
      [job, tick, instance, leaseMs],
    );
    await client.query("COMMIT");
    return { status: "claimed", run: { id: rows[0]!.id, job, tick, instance, attempt: rows[0]!.attempt } };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Records the start of a run that something else already made exclusive (Inngest), as its own tick. */
export async function openRun(db: Db, options: { job: string; instance: string; leaseMs: number }): Promise<ClaimedRun> {
  const { rows } = await db.query<{ id: string; tick: Date }>(
    `INSERT INTO job_runs (job, tick, instance, status, lease_until)
     VALUES ($1, clock_timestamp(), $2, 'running', now() + $3 * interval '1 millisecond') RETURNING id, tick`,
    [options.job, options.instance, options.leaseMs],
  );
  return { id: rows[0]!.id, job: options.job, tick: rows[0]!.tick, instance: options.instance, attempt: 1 };
}

/** Extends the lease of a run this instance still holds; false when it was taken from it. */
export async function renewLease(db: Db, run: ClaimedRun, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE job_runs SET lease_until = now() + $4 * interval '1 millisecond'
      WHERE id = $1 AND instance = $2 AND attempt = $3 AND status = 'running'`,
    [run.id, run.instance, run.attempt, leaseMs],
  );
  return rowCount === 1;
}

export type RunOutcome = { status: Exclude<RunStatus, "running">; durationMs: number; result?: unknown; error?: string };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function summarise(result: unknown): string | null {
  if (result === undefined) return null;
  const json = JSON.stringify(result) ?? null;
  return json && json.length > MAX_RESULT_CHARS ? JSON.stringify({ truncated: clip(json, MAX_RESULT_CHARS) }) : json;
}

/** Records how a run ended; false when the run had meanwhile been taken over by another instance. */
export async function finishRun(db: Db, run: ClaimedRun, outcome: RunOutcome): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE job_runs SET status = $4, finished_at = now(), duration_ms = $5, result = $6::jsonb, error = $7
      WHERE id = $1 AND instance = $2 AND attempt = $3 AND status IN ('running', 'abandoned')`,
    [
      run.id,
      run.instance,
      run.attempt,
      outcome.status,
      Math.round(outcome.durationMs),
      summarise(outcome.result),
      outcome.error ? clip(outcome.error, MAX_ERROR_CHARS) : null,
    ],
  );
  return rowCount === 1;
}

/** A tick that could not even be claimed (the database was unreachable), recorded once it is back. */
export async function recordMissedTick(db: Db, options: { job: string; tick: Date; instance: string; error: string }): Promise<void> {
  await db.query(
    `INSERT INTO job_runs (job, tick, instance, status, started_at, lease_until, finished_at, duration_ms, error)
     VALUES ($1, $2, $3, 'failed', now(), now(), now(), 0, $4) ON CONFLICT (job, tick) DO NOTHING`,
    [options.job, options.tick, options.instance, clip(options.error, MAX_ERROR_CHARS)],
  );
}

/** Deletes run history older than RUN_HISTORY_DAYS. */
export async function pruneRuns(db: Db): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM job_runs WHERE started_at < now() - $1 * interval '1 day'`, [RUN_HISTORY_DAYS]);
  return rowCount ?? 0;
}

export type RunRow = {
  job: string;
  tick: Date;
  instance: string;
  status: RunStatus;
  attempt: number;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  result: unknown;
  error: string | null;
};

/** Every run of one job, newest tick first (tests and the CLI). */
export async function listRuns(db: Db, job: string, limit = 50): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT job, tick, instance, status, attempt, started_at, finished_at, duration_ms, result, error
       FROM job_runs WHERE job = $1 ORDER BY tick DESC LIMIT $2`,
    [job, limit],
  );
  return rows;
}
