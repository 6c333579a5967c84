import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../src/server/db/migrate";
import { prepareCitusDatabase } from "./citus-cluster";

/** The server tests run against: DATABASE_URL if set, else the local Postgres. */
export const baseDatabaseUrl = process.env.TEST_DATABASE_BASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * On a Citus test cluster (CITUS_WORKER_PORTS, set by scripts/test-citus.ts) the database is
 * created on every node with the extension and the workers registered; otherwise plainly.
 */
async function createDatabase(name: string): Promise<void> {
  const workerPorts = process.env.CITUS_WORKER_PORTS;
  if (workerPorts) {
    const coordinatorPort = Number(new URL(baseDatabaseUrl).port || 5432);
    await prepareCitusDatabase(coordinatorPort, workerPorts.split(",").map(Number), name);
    return;
  }
  const admin = new pg.Client({ connectionString: baseDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

/** Creates a throwaway database, applies every migration, and returns its URL and a drop function. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sightline_${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await createDatabase(name);
  const url = withDatabase(baseDatabaseUrl, name);
  await migrate(url);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: baseDatabaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
