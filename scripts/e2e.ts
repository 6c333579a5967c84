/**
 * `npm run test:e2e`: creates a throwaway database, runs Playwright against the production
 * build (playwright.config.ts starts it through `--serve`), drops the database, and exits
 * with Playwright's code.
 *
 * `tsx scripts/e2e.ts --serve` is the Playwright web server: builds when `.next` is missing or
 * older than the sources, then `next start -p 3100`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "./lib/test-database";

const PORT = process.env.E2E_PORT ?? "3100";
const distDir = process.env.NEXT_DIST_DIR || ".next";
const root = process.cwd();

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

function buildIsStale(): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const inputs = ["src", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "package-lock.json"];
  return inputs.some((p) => existsSync(p) && newestMtime(p) > built);
}

function serve(): void {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is unset: run the end-to-end tests with `npm run test:e2e`, which creates a throwaway database.");
    process.exit(1);
  }
  if (buildIsStale()) {
    console.log("e2e: building the portal (npm run build)…");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const server = spawn("npx", ["next", "start", "-p", PORT, "-H", "127.0.0.1"], { stdio: "inherit", env: process.env });
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
