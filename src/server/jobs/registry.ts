/**
 * Every background job by name: a plain async body (in its capability folder), a schedule, and a
 * description. The embedded runner (runner.ts), the Inngest wiring (client.ts) and the CLI
 * (`npm run job -- <name>`) all read this list, so a job added here runs by itself everywhere.
 */
import { env } from "@/server/env";
import { evaluateAlerts } from "@/server/alerts/evaluate";
import { runRollup } from "@/server/rollup/job";
import { sendWeeklyReports } from "@/server/reports/send";
import { jobPool, pool } from "@/server/db/pool";
import { auditSigningKey } from "@/server/audit/signing-key";
import { checkpointChains } from "@/server/audit/tree";
import { isJobName, type JobName } from "@/server/job-settings";
import { runRetention, summarise } from "@/server/lifecycle/retention";
import { formatPlan } from "@/server/lifecycle/retention-plan";
import { RETENTION_CRON } from "@/server/lifecycle/overview";

export type JobDefinition = {
  /** Inngest function id and CLI name. */
  name: string;
  description: string;
  /** Cron expression (UTC); JOBS_SCHEDULE may override it (scheduledJobs). */
  cron: string;
  /** `args`: the CLI's arguments after the job name (none when Inngest runs it). */
  run: (args?: string[]) => Promise<unknown>;
};

export const JOBS = {
  rollup: {
    name: "rollup",
    description: "Fold closed minute/hour/day buckets of every project into the rollup tables",
    cron: "* * * * *",
    run: async () => {
      const { projects } = await runRollup(jobPool);
      return { projects: projects.length, skipped: projects.filter((p) => p.skipped).length };
    },
  },
  alerts: {
    name: "alerts",
    description: "Evaluate every alert rule for this minute and send due notifications",
    cron: "* * * * *",
    run: async () => {
      const r = await evaluateAlerts(pool);
      return { minute: r.minute.toISOString(), rules: r.rules, ...r.dispatch };
    },
  },
  "weekly-report": {
    name: "weekly-report",
    description: "Send weekly reports to organisations where it is Monday 09:00 or later (--now: send last week's report now)",
    cron: "0 * * * *",
    run: (args = []) => sendWeeklyReports(pool, { force: args.includes("--now") }),
  },
  "audit-checkpoint": {
    name: "audit-checkpoint",
    description: "Sign a checkpoint (size and Merkle root) of every audit chain that grew since its last one",
    cron: "5 * * * *",
    run: () => checkpointChains(pool, auditSigningKey()),
  },
  retention: {
    name: "retention",
    description: "Archive (ARCHIVE_BEFORE_DELETE) and delete data older than each project's retention (--dry-run: print what it would do)",
    cron: RETENTION_CRON,
    run: async (args = []) => {
      const dryRun = args.includes("--dry-run");
      const report = await runRetention(pool, { dryRun });
      if (dryRun) console.log(formatPlan(report.plan));
      return summarise(report);
    },
  },
} satisfies Record<JobName, JobDefinition>;

export { isJobName, type JobName };

/** The jobs with the schedule in force (the registry's crons, overridden by JOBS_SCHEDULE). */
export function scheduledJobs(): JobDefinition[] {
  return Object.values(JOBS).map((job) => ({ ...job, cron: env.JOBS_SCHEDULE?.[job.name as JobName] ?? job.cron }));
}
