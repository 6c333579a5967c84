import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { pool } from "@/server/db/pool";
import { DirectoryArchiveStore } from "@/server/lifecycle/archive-store";
import { RAW_KINDS, RAW_TABLES, type RawKind } from "@/server/lifecycle/kinds";

export const DAY = 86_400_000;
/** A fixed "now" (mid-day UTC) so cutoffs are known: 30 days → 2026-11-04T00:00Z. */
export const NOW = new Date("2026-12-04T12:00:00Z");
export const daysAgo = (n: number, hour = 6) => new Date(Date.UTC(2026, 11, 4 - n, hour, 0, 0));

export async function tempStore() {
  return new DirectoryArchiveStore(await mkdtemp(path.join(tmpdir(), "sightline-archive-")));
}

/** Inserts `n` rows of `kind` at `time` for the project (every NOT NULL column filled). */
export async function insertRows(projectId: string, kind: RawKind, time: Date, n: number, extra: { groupId?: string } = {}) {
  const times = Array.from({ length: n }, (_, i) => new Date(time.getTime() + i * 1000));
  const sql: Record<RawKind, string> = {
    logs: `INSERT INTO logs (project_id, time, level, message) SELECT $1, t, 'info', 'hello ' || t FROM unnest($2::timestamptz[]) t`,
    requests: `INSERT INTO requests (project_id, time, method, path, status, duration_ms) SELECT $1, t, 'GET', '/x', 200, 12.5 FROM unnest($2::timestamptz[]) t`,
    error_events: `INSERT INTO error_events (project_id, group_id, time, level, title) SELECT $1, $3::uuid, t, 'error', 'Boom' FROM unnest($2::timestamptz[]) t`,
    llm_calls: `INSERT INTO llm_calls (project_id, time, model, operation, status, cost_source) SELECT $1, t, 'gpt-4o', 'chat', 'ok', 'none' FROM unnest($2::timestamptz[]) t`,
    spans: `INSERT INTO spans (project_id, trace_id, span_id, name, kind, start_time, end_time, duration_ms, status)
            SELECT $1, md5(random()::text), md5(random()::text), 'op', 'server', t, t, 1, 'ok' FROM unnest($2::timestamptz[]) t`,
    metrics: `INSERT INTO metric_points (project_id, time, name, kind, value) SELECT $1, t, 'cpu', 'gauge', 0.5 FROM unnest($2::timestamptz[]) t`,
    product_events: `INSERT INTO product_events (project_id, time, name, user_id) SELECT $1, t, 'signup', 'u1' FROM unnest($2::timestamptz[]) t`,
  };
  const params: unknown[] = [projectId, times];
  if (kind === "error_events") params.push(extra.groupId ?? (await errorGroup(projectId, time)));
  await pool.query(sql[kind], params);
}

export async function errorGroup(projectId: string, lastSeen: Date): Promise<string> {
  const id = randomUUID();
  await pool.query(`INSERT INTO error_groups (project_id, id, fingerprint, title, level, first_seen, last_seen) VALUES ($1, $2, $3, 'Boom', 'error', $4, $4)`, [
    projectId,
    id,
    id.replace(/-/g, "").padEnd(64, "0"),
    lastSeen,
  ]);
  return id;
}

export async function insertRollup(projectId: string, grain: string, bucketStart: Date, name = "signup") {
  await pool.query(`INSERT INTO rollup_product_events (project_id, grain, bucket_start, name, environment, count) VALUES ($1, $2, $3, $4, '', 1)`, [
    projectId,
    grain,
    bucketStart,
    name,
  ]);
}

/** Row count per kind for a project. */
export async function counts(projectId: string): Promise<Record<RawKind | "error_groups" | "rollups", number>> {
  const out = {} as Record<RawKind | "error_groups" | "rollups", number>;
  for (const kind of RAW_KINDS) {
    const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${RAW_TABLES[kind].table}" WHERE project_id = $1`, [projectId]);
    out[kind] = Number(r.rows[0]!.n);
  }
  out.error_groups = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM error_groups WHERE project_id = $1`, [projectId])).rows[0]!.n);
  out.rollups = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM rollup_product_events WHERE project_id = $1`, [projectId])).rows[0]!.n);
  return out;
}

/** Every row of a kind for a project, as JSON text ordered by id (to compare before/after exactly). */
export async function rowsOf(projectId: string, kind: RawKind): Promise<string[]> {
  const { table } = RAW_TABLES[kind];
  const r = await pool.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${table}" x WHERE project_id = $1 ORDER BY id`, [projectId]);
  return r.rows.map((x) => x.j);
}
