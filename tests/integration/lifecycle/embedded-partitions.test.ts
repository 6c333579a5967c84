import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { dayPartitions, dropDayPartition, ensureDayPartition } from "@/server/lifecycle/partitions";

// `npm start` without DATABASE_URL runs on PGlite: the partitioning migration and the retention job's
// partition DDL work there too.
describe("day partitions on the embedded PGlite", () => {
  it("migrates, routes rows to their day or the default, creates a day (moving its rows) and drops it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "sightline-pglite-"));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: 45_000 + Math.floor(Math.random() * 10_000) });
    const db = new pg.Pool({ connectionString: embedded.url, max: 2 });
    try {
      await migrate(embedded.url);
      const project = (await db.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
      await db.query(
        `INSERT INTO logs (project_id, client_id, time, level, message) VALUES ($1, 'old', '2001-01-01T05:00Z', 'info', 'm'), ($1, 'new', now(), 'info', 'm')`,
        [project],
      );
      const where = async () => (await db.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM logs ORDER BY time`)).rows.map((r) => r.p);
      const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
      expect(await where()).toEqual(["logs_default", `logs_p${today}`]);
      expect(await ensureDayPartition(db, "logs", new Date("2001-01-01T00:00:00Z"))).toBe(true);
      expect(await where()).toEqual(["logs_p20010101", `logs_p${today}`]);
      const partition = (await dayPartitions(db, "logs")).find((p) => p.name === "logs_p20010101")!;
      expect(await dropDayPartition(db, partition, new Map([[project, 1]]))).toEqual(new Map([[project, 1]]));
      expect(await where()).toEqual([`logs_p${today}`]);
    } finally {
      await db.end();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
