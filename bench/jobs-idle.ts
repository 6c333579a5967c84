/**
 * `npm run bench:jobs-idle` — what the embedded job runner costs an idle install.
 *
 * Creates a throwaway database with one organisation and project (no traffic), starts the runner
 * process exactly as `npm start` does (scripts/jobs-runner.ts, default schedule), lets it catch up,
 * then reads its CPU time from /proc over `--seconds` (default 300: five alert and rollup ticks)
 * and prints CPU per minute, the share of one core, its RSS, and how many runs it recorded.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";
import { createTestDatabase } from "../scripts/lib/test-database";

const secondsArg = process.argv.indexOf("--seconds");
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 300;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000; // utime + stime
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

const db = await createTestDatabase("bench_jobs");
const client = new pg.Client({ connectionString: db.url });
await client.connect();
await client.query(`WITH o AS (INSERT INTO organizations (id, name, slug) VALUES (gen_random_uuid(), 'Idle', 'idle-bench') RETURNING id)
  INSERT INTO projects (id, org_id, name, slug) SELECT gen_random_uuid(), o.id, 'Idle', 'idle' FROM o`);

const runner = spawn(process.execPath, ["--import", "tsx", "scripts/jobs-runner.ts"], {
  env: { ...process.env, DATABASE_URL: db.url, NEXTAUTH_SECRET: "bench-secret-0123456789abcdef0123456789", NODE_ENV: "production", LOG_LEVEL: "warn" },
  stdio: ["ignore", "inherit", "inherit"],
});
try {
  await new Promise((resolve) => setTimeout(resolve, 15_000)); // start-up and the catch-up runs
  const startCpu = cpuMs(runner.pid!);
  const {
    rows: [before],
  } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM job_runs`);
  console.log(`measuring the idle runner (pid ${runner.pid}) for ${SECONDS} s…`);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const used = cpuMs(runner.pid!) - startCpu;
  const {
    rows: [after],
  } = await client.query<{ n: string; failed: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE status <> 'succeeded') AS failed FROM job_runs`);
  console.log(`runs recorded during the window: ${Number(after!.n) - Number(before!.n)} (not succeeded, in all: ${after!.failed})`);
  console.log(`runner RSS: ${rssMb(runner.pid!).toFixed(0)} MB`);
  console.log(`idle runner CPU: ${(used / (SECONDS / 60)).toFixed(0)} ms per minute (${((used / (SECONDS * 1000)) * 100).toFixed(2)}% of one core)`);
} finally {
  runner.kill("SIGTERM");
  await new Promise((resolve) => runner.once("exit", resolve));
  await client.end();
  await db.drop();
}
