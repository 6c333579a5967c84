/** Every job's name, without the bodies: env.ts validates schedules against it without importing them. */
export const JOB_NAMES = ["rollup", "alerts", "weekly-report"] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);
