/**
 * Runs one background job's body by hand, or shows how the scheduled jobs are doing:
 *   npm run job -- rollup
 *   npm run job -- weekly-report --now
 *   npm run job -- status          (last success, lag and last error per job; exit 1 when unhealthy)
 * Jobs are listed in src/server/jobs/registry.ts; `npm start` runs them on schedule by itself.
 */
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

resolveDatabaseUrlForCli();
const { JOBS, isJobName, scheduledJobs } = await import("../src/server/jobs/registry");
const { readHealth } = await import("../src/server/jobs/health");
const { endPools, pool } = await import("../src/server/db/pool");

const name = process.argv[2];

async function printStatus(): Promise<number> {
  const health = await readHealth(pool, scheduledJobs());
  const rows = Object.entries(health.jobs).map(([job, h]) => [
    job,
    h.cron,
    h.state,
    h.lastSuccessAt ?? "never",
    `${h.lagSeconds}s`,
    h.lastRunStatus ?? "-",
    (h.lastError ?? "").replace(/\s+/g, " ").slice(0, 80),
  ]);
  const header = ["job", "schedule", "state", "last success", "lag", "last run", "last error"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(`database: ${health.database}   status: ${health.status}\n`);
  console.log([line(header), ...rows.map(line)].join("\n"));
  return health.status === "ok" ? 0 : 1;
}

if (name === "status") {
  try {
    process.exitCode = await printStatus();
  } finally {
    await endPools();
  }
} else if (!name || !isJobName(name)) {
  console.error(
    `usage: npm run job -- <name> | status\njobs:\n${Object.values(JOBS)
      .map((j) => `  ${j.name.padEnd(14)} ${j.description}`)
      .join("\n")}`,
  );
  process.exit(2);
} else {
  const started = Date.now();
  try {
    const result = await JOBS[name].run(process.argv.slice(3));
    console.log(JSON.stringify({ job: name, ms: Date.now() - started, result }));
  } finally {
    await endPools();
  }
}
