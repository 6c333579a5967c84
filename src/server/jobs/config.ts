/**
 * The runner's two settings, validated once by env.ts and by `npm start` before it launches anything:
 *   JOBS_RUNNER    embedded | inngest | off   (default: inngest when INNGEST_SIGNING_KEY is set, else embedded)
 *   JOBS_SCHEDULE  overrides of the registry's crons, `name=cron` pairs separated by `;`
 *                  (e.g. `alerts=*\/2 * * * *;weekly-report=0 6 * * *`)
 */
import { z } from "zod";
import { isJobName, JOB_NAMES, type JobName } from "./names";
import { cronError } from "./schedule";

export const JOBS_RUNNER_MODES = ["embedded", "inngest", "off"] as const;
export type JobsRunnerMode = (typeof JOBS_RUNNER_MODES)[number];

export const ZJobsRunner = z.enum(JOBS_RUNNER_MODES, {
  error: "JOBS_RUNNER must be embedded (this process runs the jobs), inngest (Inngest calls /api/inngest) or off (a web-only instance)",
});

export const ZJobsSchedule = z
  .string()
  .transform((text, ctx): Partial<Record<JobName, string>> => {
    const schedule: Partial<Record<JobName, string>> = {};
    for (const pair of text.split(";").map((p) => p.trim()).filter(Boolean)) {
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const cron = pair.slice(eq + 1).trim();
      if (eq < 1 || !isJobName(name)) {
        ctx.addIssue({ code: "custom", message: `JOBS_SCHEDULE: "${pair}" must be name=cron with a name among ${JOB_NAMES.join(", ")}` });
        continue;
      }
      const error = cronError(cron);
      if (error) ctx.addIssue({ code: "custom", message: `JOBS_SCHEDULE: "${cron}" for ${name} is not a cron expression (${error}); e.g. ${name}=*/5 * * * *` });
      schedule[name] = cron;
    }
    return schedule;
  });

/** The mode in force: explicit, or inngest when Inngest is configured, or embedded. */
export function resolveJobsRunner(explicit: JobsRunnerMode | undefined, inngestSigningKey: string | undefined): JobsRunnerMode {
  return explicit ?? (inngestSigningKey ? "inngest" : "embedded");
}
