/**
 * Runs one background job's body from the command line, for operators who schedule with cron:
 *   npm run job -- rollup
 *   npm run job -- weekly-report --now
 * Jobs are listed in src/server/jobs/registry.ts.
 */
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

resolveDatabaseUrlForCli();
const { JOBS, isJobName } = await import("../src/server/jobs/registry");
const { pool } = await import("../src/server/db/pool");

const name = process.argv[2];
if (!name || !isJobName(name)) {
  console.error(`usage: npm run job -- <name>\njobs:\n${Object.values(JOBS).map((j) => `  ${j.name.padEnd(14)} ${j.description}`).join("\n")}`);
  process.exit(2);
}
const started = Date.now();
try {
  const result = await JOBS[name].run(process.argv.slice(3));
  console.log(JSON.stringify({ job: name, ms: Date.now() - started, result }));
} finally {
  await pool.end();
}
