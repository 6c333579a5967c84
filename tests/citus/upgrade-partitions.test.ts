import { randomBytes, randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { baseDatabaseUrl } from "../../scripts/lib/test-database";
import { prepareCitusDatabase } from "../../scripts/lib/citus-cluster";

// An existing cluster, its event tables already distributed, takes the partitioning migration: every
// row survives, and the re-created tables are distributed again in the same co-location group.
const MIGRATION = "20261205000000_event_partitions";

describe("partitioning an already distributed database", () => {
  it("keeps every row and the co-location group", async () => {
    const name = `sightline_citusup_${Date.now()}_${randomBytes(3).toString("hex")}`;
    await prepareCitusDatabase(Number(new URL(baseDatabaseUrl).port || 5432), process.env.CITUS_WORKER_PORTS!.split(",").map(Number), name);
    const u = new URL(baseDatabaseUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    const dir = await mkdtemp(path.join(tmpdir(), "sightline-migrations-"));
    for (const m of (await readdir("prisma/migrations")).filter((m) => m < MIGRATION && !m.endsWith(".toml"))) {
      await cp(path.join("prisma/migrations", m), path.join(dir, m), { recursive: true });
    }
    await migrate(url, dir);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const project = randomUUID();
      await db.query(
        `INSERT INTO logs (project_id, client_id, time, level, message)
        SELECT $1, 'c' || i, now() - i * interval '1 day', 'info', 'm' || i FROM generate_series(0, 9) i`,
        [project],
      );
      await db.query(
        `INSERT INTO requests (project_id, client_id, time, method, path, status, duration_ms)
        SELECT $1, 'c' || i, now() - i * interval '1 day', 'GET', '/', 200, i FROM generate_series(0, 9) i`,
        [project],
      );
      const snap = async () => {
        const rows = async (t: string) => (await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x ORDER BY id`)).rows.map((r) => r.j);
        return [...(await rows("logs")), ...(await rows("requests"))];
      };
      const before = await snap();
      expect(before).toHaveLength(20);

      const result = await migrate(url);
      expect(result.applied[0]).toBe(MIGRATION);
      expect(await snap()).toEqual(before);
      const { rows } = await db.query<{ name: string; colocation: number }>(
        `SELECT logicalrelid::regclass::text AS name, colocationid AS colocation FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
          WHERE NOT c.relispartition`,
      );
      expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["logs", "requests", "error_groups", "rollup_requests", "ingest_client_ids"]));
      expect(new Set(rows.map((r) => r.colocation)).size).toBe(1);
    } finally {
      await db.end();
    }
  });
});
