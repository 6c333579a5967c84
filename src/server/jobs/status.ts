/**
 * One job's health for a portal page (the alerts page shows when rules were last evaluated and
 * whether evaluation is behind). The error text is operator detail: only callers who administer
 * the organisation get it.
 */
import type { Db } from "@/server/db/sql";
import { readHealth } from "./health";
import type { JobName } from "@/server/job-settings";
import { scheduledJobs } from "./registry";

export type JobStatus = {
  lastSuccessAt: string | null;
  behind: boolean;
  lagSeconds: number;
  lastError: string | null;
  databaseReachable: boolean;
};

export async function readJobStatus(db: Db, options: { job: JobName; includeError: boolean }): Promise<JobStatus> {
  const health = await readHealth(
    db,
    scheduledJobs().filter((j) => j.name === options.job),
  );
  const job = health.jobs[options.job];
  return {
    lastSuccessAt: job?.lastSuccessAt ?? null,
    behind: health.database === "unreachable" || job?.state === "lagging",
    lagSeconds: job?.lagSeconds ?? 0,
    lastError: options.includeError ? (job?.lastError ?? null) : null,
    databaseReachable: health.database === "ok",
  };
}
