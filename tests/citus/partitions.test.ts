import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { dayPartitions, dropDayPartition, ensureDayPartition } from "@/server/lifecycle/partitions";

// The retention job's partition DDL on a distributed partitioned table: plain DDL on the coordinator,
// which Citus propagates to every shard of the parent.
describe("day partitions on Citus", () => {
  it("creates a day partition (moving the rows that waited in the default) as a distributed, co-located table, and drops it", async () => {
    const projectId = randomUUID();
    const day = new Date("2019-03-01T00:00:00Z");
    await pool.query(
      `INSERT INTO logs (project_id, time, level, message) VALUES ($1, '2019-03-01T05:00:00Z', 'info', 'x'), ($1, '2019-03-01T06:00:00Z', 'info', 'y')`,
      [projectId],
    );
    expect(await ensureDayPartition(pool, "logs", day)).toBe(true);
    const { rows: dist } = await pool.query<{ name: string; colocation: number }>(
      `SELECT logicalrelid::regclass::text AS name, colocationid AS colocation FROM pg_dist_partition
        WHERE logicalrelid IN ('logs'::regclass, 'logs_p20190301'::regclass) ORDER BY 1`,
    );
    expect(dist.map((r) => r.name)).toEqual(["logs", "logs_p20190301"]);
    expect(new Set(dist.map((r) => r.colocation)).size).toBe(1);
    const count = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM "${table}" WHERE project_id = $1`, [projectId])).rows[0].n);
    expect(await count("logs_p20190301")).toBe(2);
    expect(await count("logs_default")).toBe(0);

    const partition = (await dayPartitions(pool, "logs")).find((p) => p.name === "logs_p20190301")!;
    expect(await dropDayPartition(pool, partition, new Map([[projectId, 1]]))).toBeNull();
    expect(await dropDayPartition(pool, partition, new Map([[projectId, 2]]))).toEqual(new Map([[projectId, 2]]));
    expect(await count("logs")).toBe(0);
    expect((await pool.query(`SELECT to_regclass('public.logs_p20190301') AS r`)).rows[0].r).toBeNull();
  });
});
