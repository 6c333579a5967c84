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

/** The `pg` pool for hot paths (ingest, dashboards) and for Prisma's driver adapter. */
export const pool: pg.Pool =
  globalForPool.sightlinePool ??
  new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, options: SESSION_OPTIONS });

if (!globalForPool.sightlinePool) {
  // An idle connection that breaks (Postgres restarted, network cut) is dropped from the pool; without
  // a listener the 'error' event would end the process.
  pool.on("error", (error: Error & { code?: string }) =>
    log.warn({ error: error.message, code: error.code }, "idle database connection lost; the pool will open a new one"));
}
if (env.NODE_ENV !== "production") globalForPool.sightlinePool = pool;
