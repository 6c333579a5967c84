/**
 * The job runner's settings, validated once by env.ts and by `npm start` before it launches anything.
 * A top-level module (no capability imports) so env.ts can use it without a dependency cycle:
 *   JOBS_RUNNER    embedded | inngest | off   (default: inngest when INNGEST_SIGNING_KEY is set, else embedded)
 *   JOBS_SCHEDULE  overrides of the registry's crons, `name=cron` pairs separated by `;`
 *                  (e.g. `alerts=*\/2 * * * *;weekly-report=0 6 * * *`)
 */
import { Cron } from "croner";
import { z } from "zod";

/** Every job's name, without the bodies (the registry, jobs/registry.ts, keys its jobs by these). */
const JOB_NAMES = ["rollup", "alerts", "weekly-report", "audit-checkpoint", "retention"] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);

/** Why `pattern` is not a cron expression croner can run (UTC; five fields, or six with seconds), or null. */
function cronError(pattern: string): string | null {
  try {
    new Cron(pattern, { timezone: "UTC", paused: true });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const JOBS_RUNNER_MODES = ["embedded", "inngest", "off"] as const;
export type JobsRunnerMode = (typeof JOBS_RUNNER_MODES)[number];

export const ZJobsRunner = z.enum(JOBS_RUNNER_MODES, {
  error: "JOBS_RUNNER must be embedded (this process runs the jobs), inngest (Inngest calls /api/inngest) or off (a web-only instance)",
});

export const ZJobsSchedule = z.string().transform((text, ctx): Partial<Record<JobName, string>> => {
  const schedule: Partial<Record<JobName, string>> = {};
  for (const pair of text
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
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
