/**
 * Every background job by name: a plain async body (in its capability folder), a schedule, and a
 * description. The Inngest wiring (client.ts) and the CLI (`npm run job -- <name>`) both read this
 * list, so a job added here is scheduled and runnable from cron alike.
 */
import { evaluateAlerts } from "@/server/alerts/evaluate";
import { runRollup } from "@/server/rollup/job";
import { sendWeeklyReports } from "@/server/reports/send";

export type JobDefinition = {
  /** Inngest function id and CLI name. */
  name: string;
  description: string;
  /** Cron expression (UTC) for the Inngest schedule. */
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
      const { projects } = await runRollup();
      return { projects: projects.length, skipped: projects.filter((p) => p.skipped).length };
    },
  },
  alerts: {
    name: "alerts",
    description: "Evaluate every alert rule for this minute and send due notifications",
    cron: "* * * * *",
    run: async () => {
      const r = await evaluateAlerts();
      return { minute: r.minute.toISOString(), rules: r.rules, ...r.dispatch };
    },
  },
  "weekly-report": {
    name: "weekly-report",
    description: "Send weekly reports to organisations where it is Monday 09:00 or later (--now: send last week's report now)",
    cron: "0 * * * *",
    run: (args = []) => sendWeeklyReports({ force: args.includes("--now") }),
  },
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;

export const isJobName = (name: string): name is JobName => Object.hasOwn(JOBS, name);
