import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { DISTRIBUTED_BY_PROJECT, LOCAL_PER_PROJECT } from "@/server/db/citus";
import { migrate } from "@/server/db/migrate";
import { pool } from "@/server/db/pool";

// The distribution step ran after the migrations of this run's database (global setup).

describe("Citus distribution step", () => {
  it("shards every per-project table by project_id in one co-location group, and nothing else", async () => {
    const { rows } = await pool.query<{ name: string; column: string; colocation: number; method: string; partition: boolean }>(
      `SELECT logicalrelid::regclass::text AS name, column_to_column_name(logicalrelid, partkey) AS column,
              colocationid AS colocation, partmethod AS method, c.relispartition AS partition
         FROM pg_dist_partition JOIN pg_class c ON c.oid = logicalrelid ORDER BY 1`,
    );
    // The event tables' day partitions are distributed with their parent, in the same group.
    expect(
      rows
        .filter((r) => !r.partition)
        .map((r) => r.name)
        .sort(),
    ).toEqual([...DISTRIBUTED_BY_PROJECT].sort());
    expect(rows.filter((r) => r.partition).map((r) => r.name)).toEqual(expect.arrayContaining(["logs_default", "spans_default"]));
    expect(new Set(rows.map((r) => r.column))).toEqual(new Set(["project_id"]));
    expect(new Set(rows.map((r) => r.method))).toEqual(new Set(["h"]));
    expect(new Set(rows.map((r) => r.colocation)).size).toBe(1);
  });

  it("leaves no table keyed by project_id behind (a new per-project table must join the list)", async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attname = 'project_id'
        ORDER BY 1`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...DISTRIBUTED_BY_PROJECT, ...LOCAL_PER_PROJECT].sort());
  });

  it("is safe to re-run: migrating again applies nothing and distributes nothing", async () => {
    const again = await migrate(inject("databaseUrl"));
    expect(again.applied).toEqual([]);
    expect(again.distributed).toEqual([]);
  });

  it("spreads the shards over both workers", async () => {
    const { rows } = await pool.query<{ nodes: number }>(
      `SELECT count(DISTINCT nodeport)::int AS nodes FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid)
        WHERE s.logicalrelid = 'logs'::regclass`,
    );
    expect(rows[0]!.nodes).toBe(2);
  });
});
