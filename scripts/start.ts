/**
 * `npm start`: builds if the build is missing or older than the sources, starts an embedded
 * Postgres when DATABASE_URL is unset, applies migrations, and serves the portal.
 * `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
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

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const inputs = ["src", "middleware.ts", "instrumentation.ts", "next.config.mjs", "tailwind.config.ts", "package-lock.json"];
  return inputs.some((p) => existsSync(p) && (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs) > built);
}

function persistedSecret(): string {
  const file = path.join(stateDir, SECRET_FILE_NAME);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

mkdirSync(stateDir, { recursive: true });
let embedded: EmbeddedPostgres | null = null;
let databaseUrl = process.env.DATABASE_URL;
let nextAuthSecret = process.env.NEXTAUTH_SECRET;

if (!databaseUrl) {
  console.log(`• DATABASE_URL is unset: starting embedded Postgres (PGlite) on 127.0.0.1:${embeddedPort}, data in .sightline/pgdata`);
  try {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(stateDir, "pgdata"), port: embeddedPort });
  } catch (error) {
    fail(`Could not start the embedded Postgres on port ${embeddedPort}: ${(error as Error).message}. Set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to your Postgres.`);
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

if (!dev && buildIsStale()) {
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
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await embedded?.stop().catch(() => {});
  rmSync(RUNTIME_FILE, { force: true });
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 0));
