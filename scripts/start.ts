/**
 * `npm start`: builds if the build is missing or older than the sources, starts an embedded
 * Postgres when DATABASE_URL is unset, applies migrations, serves the portal, and runs the
 * scheduled jobs in a process of its own (scripts/jobs-runner.ts) unless JOBS_RUNNER says
 * otherwise. `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { resolveJobsRunner, ZJobsRunner, ZJobsSchedule } from "../src/server/job-settings";
import { buildIsStale } from "./build-state";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/server/db/embedded";
import { migrate } from "../src/server/db/migrate";
import { RUNTIME_FILE, SECRET_FILE_NAME } from "../src/server/db/resolve-url";

const root = process.cwd();
const stateDir = path.join(root, ".sightline");
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const embeddedPort = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

function persistedSecret(): string {
  const file = path.join(stateDir, SECRET_FILE_NAME);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function jobsRunnerMode() {
  const runner = ZJobsRunner.optional().safeParse(process.env.JOBS_RUNNER || undefined);
  if (!runner.success) fail(`${runner.error.issues[0]!.message} (JOBS_RUNNER is "${process.env.JOBS_RUNNER}")`);
  const schedule = ZJobsSchedule.optional().safeParse(process.env.JOBS_SCHEDULE || undefined);
  if (!schedule.success) fail(schedule.error.issues.map((i) => i.message).join("\n  "));
  return resolveJobsRunner(runner.data, process.env.INNGEST_SIGNING_KEY || undefined);
}

const jobsMode = jobsRunnerMode();
mkdirSync(stateDir, { recursive: true });
let embedded: EmbeddedPostgres | null = null;
let databaseUrl = process.env.DATABASE_URL;
let nextAuthSecret = process.env.NEXTAUTH_SECRET;

if (!databaseUrl) {
  console.log(`• DATABASE_URL is unset: starting embedded Postgres (PGlite) on 127.0.0.1:${embeddedPort}, data in .sightline/pgdata`);
  try {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(stateDir, "pgdata"), port: embeddedPort });
  } catch (error) {
    fail(
      `Could not start the embedded Postgres on port ${embeddedPort}: ${(error as Error).message}. Set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to your Postgres.`,
    );
  }
  databaseUrl = embedded.url;
  nextAuthSecret ??= persistedSecret();
} else if (!nextAuthSecret) {
  if (dev) nextAuthSecret = persistedSecret();
  else fail("NEXTAUTH_SECRET is required when DATABASE_URL is set (production). Generate one with `openssl rand -base64 32`.");
}

try {
  const { applied } = await migrate(databaseUrl);
  console.log(`• Database ready (${applied.length ? `applied ${applied.join(", ")}` : "migrations up to date"})`);
} catch (error) {
  await embedded?.stop();
  fail(`Migrations failed: ${(error as Error).message}`);
}

const portalUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: nextAuthSecret, NEXTAUTH_URL: portalUrl };
if (embedded) childEnv.DATABASE_POOL_MAX ??= "8";

if (!dev && buildIsStale(root)) {
  console.log("• Building the portal (first start, or sources changed)…");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: childEnv });
  if (build.status !== 0) {
    await embedded?.stop();
    fail("The build failed; see the output above.");
  }
}

writeFileSync(RUNTIME_FILE, JSON.stringify({ databaseUrl, embedded: Boolean(embedded), pid: process.pid, portalUrl }, null, 2));
const next = spawn(path.join(root, "node_modules", ".bin", "next"), [dev ? "dev" : "start", "-p", String(port), "-H", host], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
});
console.log(`\n✔ Sightline is starting at ${portalUrl} — sign up there, or run \`npm run seed:demo\` for a demo account.\n`);

let stopping = false;

/** The embedded job runner, restarted with backoff if it ever dies (its claims are leased, so nothing is lost). */
let jobs: ChildProcess | null = null;
let jobsRestarts = 0;
function startJobsRunner() {
  jobs = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "jobs-runner.ts")], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
  });
  const startedAt = Date.now();
  jobs.on("exit", (code, signal) => {
    if (stopping) return;
    jobsRestarts = Date.now() - startedAt > 60_000 ? 0 : jobsRestarts + 1;
    const delay = Math.min(1_000 * 2 ** jobsRestarts, 60_000);
    console.error(`✖ The job runner exited (${signal ?? `code ${code}`}); restarting it in ${delay / 1000} s`);
    setTimeout(startJobsRunner, delay);
  });
}
if (jobsMode === "embedded") {
  console.log("• Scheduled jobs (rollups, alerts, weekly reports) run in this instance; JOBS_RUNNER=off turns that off");
  startJobsRunner();
} else {
  console.log(`• JOBS_RUNNER=${jobsMode}: this instance runs no scheduled jobs${jobsMode === "inngest" ? " (Inngest calls /api/inngest)" : ""}`);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  jobs?.kill("SIGTERM");
  next.kill("SIGTERM");
  if (jobs && jobs.exitCode === null) await new Promise((resolve) => jobs!.once("exit", resolve));
  await embedded?.stop().catch(() => {});
  rmSync(RUNTIME_FILE, { force: true });
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 0));
