/**
 * Every background job by name: a plain async body (in its capability folder), a schedule, and a
 * description. The Inngest wiring (client.ts) and the CLI (`npm run job -- <name>`) both read this
 * list, so a job added here is scheduled and runnable from cron alike.
 */
import { runRollup } from "@/server/metrics/rollup";

export type JobDefinition = {
  /** Inngest function id and CLI name. */
  name: string;
  description: string;
  /** Cron expression (UTC) for the Inngest schedule. */
  cron: string;
  run: () => Promise<unknown>;
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
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;

export const isJobName = (name: string): name is JobName => Object.hasOwn(JOBS, name);
