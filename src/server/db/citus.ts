import type pg from "pg";

/**
 * Tables sharded by project_id and co-located with each other, so one project's events, error
 * groups and rollups live on the same worker: its reads, the ingest transaction and the rollup
 * job's INSERT … SELECT run on one shard group. The first one anchors the co-location group.
 * None of them has a foreign key, and every unique key leads with project_id (DESIGN.md "Scale").
 */
export const DISTRIBUTED_BY_PROJECT = [
  "logs",
  "requests",
  "error_groups",
  "error_events",
  "llm_calls",
  "spans",
  "metric_points",
  "product_events",
  "rollup_requests",
  "rollup_endpoints",
  "rollup_request_statuses",
  "rollup_request_totals",
  "rollup_llm",
  "rollup_errors",
  "rollup_error_tags",
  "rollup_product_events",
  "rollup_users",
  "rollup_metrics",
  "rollup_watermarks",
  "rollup_refolds",
  "ingest_client_ids",
] as const;

/**
 * Per-project settings whose primary key leads with `project_id` but which stay on the coordinator:
 * a few rows per project, written through Prisma, with a foreign key to `projects` (which Citus does
 * not allow from a distributed table to a local one), and never joined to an event table.
 */
export const LOCAL_PER_PROJECT = ["retention_policies", "restore_holds"] as const;

/**
 * Everything else stays an ordinary table on the coordinator: users, organisations,
 * memberships, invitations, projects, API keys, model prices, redaction rules, alerts and their
 * state, weekly reports, job runs, the audit log and its checkpoints. They are small, written
 * through Prisma, and tied together by foreign keys (to projects, organisations and users)
 * that Citus only allows between tables of the same kind; the hot paths read them once per
 * request (key lookup, prices) and never join them to an event table. Making them reference
 * tables would copy every write to every worker for no read that needs it.
 */

export type DistributionResult = { citus: boolean; distributed: string[]; alreadyDistributed: string[] };

/**
 * Applies the Citus distribution after the migrations: a no-op unless the database has the
 * citus extension, and safe to re-run (tables already in pg_dist_partition are skipped). Tables
 * that hold rows when distributed have them moved into the shards and the coordinator's local
 * copy truncated.
 */
export async function distributeForCitus(client: pg.Client | pg.PoolClient): Promise<DistributionResult> {
  const { rows: ext } = await client.query<{ present: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS present");
  if (!ext[0]?.present) return { citus: false, distributed: [], alreadyDistributed: [] };

  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
      WHERE c.relnamespace = 'public'::regnamespace`,
  );
  const done = new Set(rows.map((r) => r.name));
  const result: DistributionResult = { citus: true, distributed: [], alreadyDistributed: [] };
  // Co-locate with a table already distributed: after a migration re-creates one (the event tables
  // became partitioned), it must rejoin the group the others are in, not start a new one.
  let group: string | null = DISTRIBUTED_BY_PROJECT.find((t) => done.has(t)) ?? null;
  for (const table of DISTRIBUTED_BY_PROJECT) {
    if (done.has(table)) {
      result.alreadyDistributed.push(table);
      continue;
    }
    // A database migrated only part of the way (tests of older schemas) lacks the newest tables.
    const { rows: present } = await client.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [`public.${table}`]);
    if (!present[0]!.ok) continue;
    const colocateWith = group ?? "none";
    group ??= table;
    await client.query("SELECT create_distributed_table($1::regclass, 'project_id', colocate_with => $2)", [`public.${table}`, colocateWith]);
    await client.query("SELECT truncate_local_data_after_distributing_table($1::regclass)", [`public.${table}`]);
    result.distributed.push(table);
  }
  return result;
}
