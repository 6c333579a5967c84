/**
 * The ingest side of the benchmarks: a throwaway database with one project and ingest key, and the
 * real ingest route handlers served over loopback HTTP by a SEPARATE Node process
 * (NODE_ENV=production), so that client and server never share an event loop. Run as a script
 * (`--serve`), this file is that server process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

async function serve() {
  const { startRouteServer } = await import("../../scripts/lib/http-harness");
  // The functions the route handlers call, and nothing else (each handler is a one-line adapter).
  const { handleIngestRequest } = await import("../../src/server/ingest/http");
  const { handleOtlpRequest } = await import("../../src/server/ingest/otlp/handle");
  const { pool } = await import("../../src/server/db/pool");
  const ingest = (request: Request) => handleIngestRequest(pool, request);
  const exportLogs = (request: Request) => handleOtlpRequest(pool, request, "logs");
  const server = await startRouteServer({ "/api/v1/ingest": { POST: ingest }, "/api/v1/otlp/v1/logs": { POST: exportLogs } });
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message) => {
    if (message === "stats") process.send!({ maxRssKb: process.resourceUsage().maxRSS, rssKb: Math.round(process.memoryUsage.rss() / 1024) });
    if (message === "stop") process.exit(0);
  });
  process.send!({ baseUrl: server.baseUrl });
}

export type BenchTarget = Awaited<ReturnType<typeof startBenchTarget>>;

/** Creates the database, project and key, and starts the server process with `env` added. */
export async function startBenchTarget(options: { label: string; env?: Record<string, string>; nodeArgs?: string[] }) {
  const { createTestDatabase } = await import("../../scripts/lib/test-database");
  const { generateApiKey } = await import("../../src/server/keys/generate");
  const pg = (await import("pg")).default;

  const db = await createTestDatabase(options.label);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const key = generateApiKey("ingest");
  const {
    rows: [user],
  } = await admin.query(`INSERT INTO users (email, name, password_hash) VALUES ('bench@example.test', 'bench', 'x') RETURNING id`);
  const {
    rows: [org],
  } = await admin.query(`INSERT INTO organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id`);
  const {
    rows: [project],
  } = await admin.query(`INSERT INTO projects (org_id, slug, name) VALUES ($1, 'bench', 'Bench') RETURNING id`, [org.id]);
  await admin.query(`INSERT INTO api_keys (project_id, name, scope, prefix, secret_hash, created_by_id) VALUES ($1, 'bench', 'ingest', $2, $3, $4)`, [
    project.id,
    key.prefix,
    key.secretHash,
    user.id,
  ]);

  let server: ChildProcess | null = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-secret-0123456789abcdef0123456789",
      INGEST_RATE_LIMIT_REQUESTS: "100000000",
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "8",
      ...options.env,
    },
  });
  const ask = <T>(message: string | null): Promise<T> =>
    new Promise((resolve) => {
      server!.once("message", (m) => resolve(m as T));
      if (message) server!.send(message);
    });
  const { baseUrl } = await ask<{ baseUrl: string }>(null);

  /** Rows stored in every event table. */
  const storedRows = async () => {
    const {
      rows: [{ n }],
    } = await admin.query(`SELECT (SELECT count(*) FROM logs) + (SELECT count(*) FROM requests) + (SELECT count(*) FROM spans)
      + (SELECT count(*) FROM llm_calls) + (SELECT count(*) FROM error_events) + (SELECT count(*) FROM metric_points) + (SELECT count(*) FROM product_events) AS n`);
    return Number(n);
  };
  const clearEvents = async () => {
    await admin.query(
      `DELETE FROM logs; DELETE FROM requests; DELETE FROM spans; DELETE FROM llm_calls; DELETE FROM error_events; DELETE FROM error_groups; DELETE FROM metric_points; DELETE FROM product_events`,
    );
    await admin.query("VACUUM ANALYZE");
  };
  return {
    db,
    admin,
    key,
    projectId: project.id as string,
    baseUrl,
    storedRows,
    clearEvents,
    stats: () => ask<{ maxRssKb: number; rssKb: number }>("stats"),
    /** Stops the server process (and waits for it). */
    stopServer: async () => {
      if (!server) return;
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.send("stop");
      await exited;
      server = null;
    },
    /** Stops everything and drops the database (unless KEEP_TEST_DATABASE). */
    close: async () => {
      server?.kill();
      await admin.end();
      if (!process.env.KEEP_TEST_DATABASE) await db.drop();
    },
  };
}

if (process.argv.includes("--serve")) void serve();
