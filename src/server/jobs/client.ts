/**
 * The one file that knows Inngest: the client (keys from env.ts) and one scheduled function per
 * job in the registry, each a thin step around the job's plain body. Served by /api/inngest.
 */
import { Inngest } from "inngest";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { pool } from "@/server/db/pool";
import { scheduledJobs, type JobDefinition } from "./registry";
import { runWithLease } from "./runner";
import { finishRun, openRun } from "./runs";

export const inngest = new Inngest({
  id: "sightline",
  signingKey: env.INNGEST_SIGNING_KEY,
  eventKey: env.INNGEST_EVENT_KEY,
  // Dev mode skips signature checks: never in production, even if INNGEST_DEV was set by mistake.
  isDev: env.NODE_ENV === "production" ? false : env.INNGEST_DEV,
  logger: log.child({ component: "inngest" }),
});

const jobsLog = log.child({ component: "jobs", runner: "inngest" });

/**
 * Inngest already runs each cron tick once; the run is still written to job_runs (as its own tick,
 * the invocation time) so that /api/health and `npm run job -- status` see it. A failure is
 * recorded, then thrown so Inngest shows and retries it.
 */
async function recordedRun(job: JobDefinition): Promise<unknown> {
  const leaseMs = env.JOBS_LEASE_SECONDS * 1000;
  const run = await openRun(pool, { job: job.name, instance: "inngest", leaseMs });
  const outcome = await runWithLease({ pool, log: jobsLog, leaseMs }, job, run);
  await finishRun(pool, run, outcome);
  if (outcome.status === "failed") throw new Error(outcome.error);
  return outcome.result;
}

function scheduled(job: JobDefinition) {
  return inngest.createFunction({ id: job.name, name: job.description, triggers: [{ cron: job.cron }], concurrency: { limit: 1 } }, async ({ step }) =>
    step.run(job.name, () => recordedRun(job)),
  );
}

/** One function per job of the registry, on the schedule in force (JOBS_SCHEDULE applies here too). */
const byName = new Map(scheduledJobs().map((job) => [job.name, scheduled(job)]));
export const functions = [...byName.values()];
export const rollupFunction = byName.get("rollup")!;
export const alertsFunction = byName.get("alerts")!;
