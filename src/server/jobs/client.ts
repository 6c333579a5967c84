/**
 * The one file that knows Inngest: the client (keys from env.ts) and one scheduled function per
 * job in the registry, each a thin step around the job's plain body. Served by /api/inngest.
 */
import { Inngest } from "inngest";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { JOBS, type JobDefinition } from "./registry";

export const inngest = new Inngest({
  id: "sightline",
  signingKey: env.INNGEST_SIGNING_KEY,
  eventKey: env.INNGEST_EVENT_KEY,
  isDev: env.INNGEST_DEV,
  logger: log.child({ component: "inngest" }),
});

function scheduled(job: JobDefinition) {
  return inngest.createFunction(
    { id: job.name, name: job.description, triggers: [{ cron: job.cron }], concurrency: { limit: 1 } },
    async ({ step }) => step.run(job.name, () => job.run()),
  );
}

export const rollupFunction = scheduled(JOBS.rollup);

export const alertsFunction = scheduled(JOBS.alerts);
export const weeklyReportFunction = scheduled(JOBS["weekly-report"]);

export const functions = [rollupFunction, alertsFunction, weeklyReportFunction];
