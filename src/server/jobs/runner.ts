/**
 * The embedded runner: runs every job of the registry on its cron inside a portal instance, with
 * no cron daemon or Inngest to wire. Each (job, tick) is claimed in Postgres (runs.ts), so any
 * number of instances run each tick once; a run keeps its claim alive with a lease, and a run whose
 * instance died is taken over once its lease passes. After downtime only the latest tick runs.
 *
 * `npm start` runs it in a process of its own beside Next.js (scripts/jobs-runner.ts), so jobs
 * never hold up pages or ingest.
 */
import type pg from "pg";
import type { Logger } from "pino";
import { claimRun, finishRun, pruneRuns, recordMissedTick, renewLease, type ClaimedRun, type RunOutcome } from "./runs";
import { latestTick, nextTick } from "./schedule";

export type RunnableJob = { name: string; cron: string; run: (args?: string[]) => Promise<unknown> };

export type JobRunnerOptions = {
  pool: pg.Pool;
  jobs: RunnableJob[];
  instance: string;
  log: Logger;
  /** How long a claim lives without renewal; renewed every third of it. */
  leaseMs: number;
  /** How soon to look again when the database could not be reached or another run holds the job. */
  retryMs?: number;
};

type JobState = {
  /** The newest tick known handled (here or elsewhere), as epoch ms. */
  done: number;
  recheckAt: number | null;
  running: { promise: Promise<void>; run: ClaimedRun } | null;
  /** A tick that could not be claimed because the database was away, recorded as failed once it is back. */
  missed: { tick: Date; error: string } | null;
};

const PRUNE_EVERY_MS = 60 * 60_000;
const MAX_SLEEP_MS = 60 * 60_000;

export class JobRunner {
  private readonly state = new Map<string, JobState>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private waking = false;
  private wakeAgain = false;
  private lastPrune = 0;
  private readonly retryMs: number;

  constructor(private readonly options: JobRunnerOptions) {
    this.retryMs = options.retryMs ?? 5_000;
    for (const job of options.jobs) this.state.set(job.name, { done: 0, recheckAt: null, running: null, missed: null });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.log.info({ instance: this.options.instance, jobs: this.options.jobs.map((j) => `${j.name} (${j.cron})`) }, "job runner started");
    void this.wake();
  }

  /** Stops scheduling and waits up to `graceMs` for running jobs; runs still going are released for another instance. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const running = () => [...this.state.values()].flatMap((s) => (s.running ? [s.running] : []));
    if (!running().length) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(running().map((r) => r.promise)), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
    // Still running after the grace period: release the claim now rather than when the lease runs out.
    for (const { run } of running())
      await finishRun(this.options.pool, run, { status: "abandoned", durationMs: 0, error: "instance stopped during the run" }).catch(() => {});
  }

  private async wake(): Promise<void> {
    if (this.stopped) return;
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        const now = new Date();
        for (const job of this.options.jobs) await this.consider(job, now);
      } while (this.wakeAgain && !this.stopped);
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    } finally {
      this.waking = false;
      this.schedule();
    }
  }

  /** Claims the job's latest tick when it has not been handled yet (or a recheck is due). */
  private async consider(job: RunnableJob, now: Date): Promise<void> {
    const state = this.state.get(job.name)!;
    if (state.running) return;
    const tick = latestTick(job.cron, now);
    if (!tick) return;
    const recheckDue = state.recheckAt !== null && state.recheckAt <= now.getTime();
    if (tick.getTime() <= state.done && !recheckDue) return;
    state.recheckAt = null;
    try {
      if (state.missed) {
        await recordMissedTick(this.options.pool, { job: job.name, instance: this.options.instance, ...state.missed });
        state.missed = null;
      }
      const claim = await claimRun(this.options.pool, { job: job.name, tick, instance: this.options.instance, leaseMs: this.options.leaseMs });
      if (claim.status === "done") state.done = tick.getTime();
      else if (claim.status === "taken") state.recheckAt = Math.max(claim.leaseUntil.getTime() + 1_000, now.getTime() + this.retryMs);
      else state.running = { promise: this.execute(job, claim.run, state), run: claim.run };
    } catch (error) {
      const message = `could not claim the tick: ${(error as Error).message}`;
      state.missed ??= { tick, error: message };
      state.recheckAt = now.getTime() + this.retryMs;
      this.options.log.warn({ job: job.name, tick, err: error }, "job tick not claimed; will retry");
    }
  }

  private async execute(job: RunnableJob, run: ClaimedRun, state: JobState): Promise<void> {
    let outcome = await runWithLease(this.options, job, run);
    if (this.stopped && outcome.status === "failed") outcome = { ...outcome, status: "abandoned", error: `instance stopped during the run: ${outcome.error}` };
    await this.record(run, outcome);
    state.done = Math.max(state.done, run.tick.getTime());
    state.running = null;
    if (!this.stopped) void this.wake(); // a tick may have come due while this ran
  }

  /** Records the outcome, retrying while the database is away (a run that failed because of it is recorded once it is back). */
  private async record(run: ClaimedRun, outcome: RunOutcome): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const kept = await finishRun(this.options.pool, run, outcome);
        if (!kept) this.options.log.warn({ job: run.job, tick: run.tick }, "job run outcome not recorded: another instance took the tick over");
        return;
      } catch (error) {
        if (this.stopped && attempt >= 2) return;
        this.options.log.warn({ job: run.job, err: error }, "job run outcome not recorded yet; retrying");
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryMs * 2 ** attempt, 30_000)));
      }
    }
  }

  private async prune(): Promise<void> {
    try {
      const deleted = await pruneRuns(this.options.pool);
      this.lastPrune = Date.now();
      if (deleted) this.options.log.info({ deleted }, "job run history pruned");
    } catch (error) {
      this.options.log.warn({ err: error }, "job run history not pruned");
    }
  }

  /** Sleeps until the next tick of any job, or the earliest recheck. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const now = new Date();
    let wakeAt = now.getTime() + MAX_SLEEP_MS;
    for (const job of this.options.jobs) {
      const state = this.state.get(job.name)!;
      const next = nextTick(job.cron, now);
      if (next) wakeAt = Math.min(wakeAt, next.getTime());
      if (state.recheckAt !== null) wakeAt = Math.min(wakeAt, state.recheckAt);
    }
    this.timer = setTimeout(() => void this.wake(), Math.max(wakeAt - Date.now(), 0));
  }
}

/** Runs a claimed tick's body while renewing its lease; never throws (a failure is an outcome). */
export async function runWithLease(options: Pick<JobRunnerOptions, "pool" | "log" | "leaseMs">, job: RunnableJob, run: ClaimedRun): Promise<RunOutcome> {
  const { log, leaseMs, pool } = options;
  const started = performance.now();
  const heartbeat = setInterval(
    () => {
      renewLease(pool, run, leaseMs)
        .then((held) => held || log.warn({ job: job.name, tick: run.tick }, "job run lost its lease; another instance may take the tick over"))
        .catch((error: unknown) => log.warn({ job: job.name, err: error }, "job lease not renewed"));
    },
    Math.max(leaseMs / 3, 50),
  );
  try {
    const result = await job.run([]);
    const durationMs = performance.now() - started;
    log.info({ job: job.name, tick: run.tick, ms: Math.round(durationMs), result }, "job run succeeded");
    return { status: "succeeded", durationMs, result };
  } catch (error) {
    log.error({ job: job.name, tick: run.tick, err: error }, "job run failed");
    return { status: "failed", durationMs: performance.now() - started, error: (error as Error).message || String(error) };
  } finally {
    clearInterval(heartbeat);
  }
}
