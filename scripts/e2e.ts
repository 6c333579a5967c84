/**
 * `npm run test:e2e`: creates a throwaway database, runs Playwright against the production
 * build (playwright.config.ts starts it through `--serve`), drops the database, and exits
 * with Playwright's code.
 *
 * `tsx scripts/e2e.ts --serve` is the Playwright web server: the portal started exactly as
 * `npm start` starts it (scripts/start.ts: build when stale, migrations, `next start`), on 3100.
 * Its embedded job runner is off (JOBS_RUNNER=off): the suites that test jobs run them by hand
 * for deterministic timing, and tests/e2e/jobs-runner.spec.ts starts a second instance of its own
 * with the runner on, as a fresh install has it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase } from "./lib/test-database";

const PORT = process.env.E2E_PORT ?? "3100";
const root = process.cwd();

function serve(): void {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is unset: run the end-to-end tests with `npm run test:e2e`, which creates a throwaway database.");
    process.exit(1);
  }
  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    stdio: "inherit",
    env: { ...process.env, PORT, HOST: "127.0.0.1" },
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

async function run(): Promise<void> {
  const db = await createTestDatabase("e2e");
  console.log(`e2e: throwaway database ${new URL(db.url).pathname.slice(1)}`);
  const args = process.argv.slice(2);
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef0123456789abcdef",
    NEXTAUTH_URL: `http://127.0.0.1:${PORT}`,
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    RESEND_API_KEY: "",
    REDIS_URL: "",
    JOBS_RUNNER: "off",
    // Archives of this run's retention jobs (the server and the specs read the same directory).
    ARCHIVE_DIR: mkdtempSync(path.join(tmpdir(), `sightline-e2e-archive-${PORT}-`)),
  };
  const code = await new Promise<number>((resolve) => {
    const child = spawn("npx", ["playwright", "test", ...args], { stdio: "inherit", env });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  await db.drop();
  process.exit(code);
}

if (process.argv.includes("--serve")) serve();
else await run();
