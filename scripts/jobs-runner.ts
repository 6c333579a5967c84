/**
 * The embedded job runner's process: `npm start` and `npm run dev` launch it beside Next.js when
 * JOBS_RUNNER is embedded (the default without Inngest), so scheduled work never competes with
 * pages and ingest for the web server's event loop. Runs every job of the registry on its cron;
 * src/server/jobs/runner.ts explains how ticks are claimed across instances.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

resolveDatabaseUrlForCli();
const { env } = await import("../src/server/env");
const { log } = await import("../src/server/log");
const { endPools, pool } = await import("../src/server/db/pool");
const { scheduledJobs } = await import("../src/server/jobs/registry");
const { JobRunner } = await import("../src/server/jobs/runner");

const runner = new JobRunner({
  pool,
  jobs: scheduledJobs(),
  instance: `${hostname()}:${process.pid}:${randomBytes(2).toString("hex")}`,
  log: log.child({ component: "jobs", runner: "embedded" }),
  leaseMs: env.JOBS_LEASE_SECONDS * 1000,
});
runner.start();

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await runner.stop();
  await endPools().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
