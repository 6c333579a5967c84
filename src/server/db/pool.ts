import "server-only";
import pg from "pg";
import { env } from "../env";
import { log } from "../log";

const globalForPool = globalThis as unknown as { sightlinePool?: pg.Pool };

/**
 * Session settings for every connection (sent at connect; the embedded PGlite ignores them). Dashboard
 * reads are many small index scans and aggregates: JIT compilation and parallel workers cost more than
 * the queries themselves (measured with bench:queries), and a few MB more work_mem keeps their hash
 * aggregates in memory. The raw-scan fallback keeps parallelism through the higher setup cost.
 */
const SESSION_OPTIONS = "-c jit=off -c parallel_setup_cost=10000 -c work_mem=16MB";

/**
 * The `pg` pool for hot paths (ingest, dashboards) and for Prisma's driver adapter. A connection that
 * cannot be opened within DATABASE_CONNECT_TIMEOUT_MS, or a query without an answer within
 * DATABASE_QUERY_TIMEOUT_MS (0: none), fails, and its connection is dropped: a stalled network
 * never holds a request, or a pool slot, forever.
 */
export const pool: pg.Pool =
  globalForPool.sightlinePool ??
  new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    options: SESSION_OPTIONS,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    ...(env.DATABASE_QUERY_TIMEOUT_MS ? { query_timeout: env.DATABASE_QUERY_TIMEOUT_MS } : {}),
  });

if (!globalForPool.sightlinePool) {
  // An idle connection that breaks (Postgres restarted, network cut) is dropped from the pool; without
  // a listener the 'error' event would end the process.
  pool.on("error", (error: Error & { code?: string }) =>
    log.warn({ error: error.message, code: error.code }, "idle database connection lost; the pool will open a new one"),
  );
}
if (env.NODE_ENV !== "production") globalForPool.sightlinePool = pool;

const globalForJobPool = globalThis as unknown as { sightlineJobPool?: pg.Pool };

/**
 * A small pool for background jobs whose single statements may legitimately run for minutes (the
 * rollup folding a large backlog): no query timeout, and never taking the web tier's connections.
 */
export const jobPool: pg.Pool =
  globalForJobPool.sightlineJobPool ??
  new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, options: SESSION_OPTIONS, connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS });
if (!globalForJobPool.sightlineJobPool) {
  jobPool.on("error", (error: Error & { code?: string }) => log.warn({ error: error.message, code: error.code }, "idle job database connection lost"));
}
if (env.NODE_ENV !== "production") globalForJobPool.sightlineJobPool = jobPool;

/** Ends both pools (CLIs and benchmarks, before they exit or drop their database). */
export async function endPools(): Promise<void> {
  await Promise.all([pool.end(), jobPool.end()]);
}
