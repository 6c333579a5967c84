/** A portal instance whose job never finishes: runner.test.ts kills it with SIGKILL mid-run. */
import pino from "pino";
import pg from "pg";
import { JobRunner } from "../../../src/server/jobs/runner";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const runner = new JobRunner({
  pool,
  log: pino({ level: "silent" }),
  instance: "killed-instance",
  leaseMs: Number(process.env.LEASE_MS),
  jobs: [
    {
      name: process.env.JOB_NAME!,
      cron: process.env.JOB_CRON!,
      run: () => {
        process.stdout.write("started\n");
        return new Promise(() => {});
      },
    },
  ],
});
runner.start();
