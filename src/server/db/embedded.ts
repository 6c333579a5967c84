import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { serializeExtendedQueries, type PgliteQueryQueue } from "./embedded-queue";

export type EmbeddedPostgres = { url: string; stop: () => Promise<void> };

/**
 * Starts PGlite (Postgres compiled to WASM) with its data under `dataDir` and serves it over
 * the Postgres wire protocol on loopback, so the portal, Prisma and CLI scripts connect to it
 * exactly as to a real server. For trying Sightline out; production sets DATABASE_URL.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm, btree_gin } });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port, maxConnections: 64 });
  serializeExtendedQueries((server as unknown as { queryQueue: PgliteQueryQueue }).queryQueue);
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
