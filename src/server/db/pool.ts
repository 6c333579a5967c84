import pg from "pg";
import { env } from "../env";

const globalForPool = globalThis as unknown as { sightlinePool?: pg.Pool };

/** The `pg` pool for hot paths (ingest, dashboards) and for Prisma's driver adapter. */
export const pool: pg.Pool =
  globalForPool.sightlinePool ??
  new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });

if (env.NODE_ENV !== "production") globalForPool.sightlinePool = pool;
