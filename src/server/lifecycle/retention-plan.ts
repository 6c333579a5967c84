/**
 * What a retention run will do, computed before it does anything: per project and kind the cutoff
 * (the start of the UTC day `days` before today, so archives hold whole days), the rows older than it
 * per UTC day, and their size in the table. The dry run prints this; Settings → Data shows it as the
 * next run's estimate; the run works through exactly these days.
 */
import type { Db } from "../db/sql";
import { policiesFor, type ProjectPolicy } from "./policy";
import { utcDay } from "./archive-format";
import { heldDays } from "./restore";
import { POLICY_ROLLUP_GRAINS, RAW_KINDS, RAW_TABLES, type RawKind, type RetentionKind } from "./kinds";

const DAY_MS = 86_400_000;

export type PlannedDay = { day: Date; rows: number; bytes: number };
export type KindPlan = { kind: RetentionKind; days: number; cutoff: Date; rows: number; bytes: number; byDay: PlannedDay[] };
export type ProjectPlan = { projectId: string; orgId: string; kinds: KindPlan[]; errorGroups: number };

const cutoffFor = (now: Date, days: number) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - days * DAY_MS);

/** Rollup tables (name starts with rollup_ and has grain + bucket_start), found in the catalog so new ones are covered. */
export async function rollupTables(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname LIKE 'rollup\\_%'
        AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('grain', 'bucket_start', 'project_id') AND NOT a.attisdropped) = 3
      ORDER BY 1`,
  );
  return rows.map((r) => r.table);
}

async function planRaw(db: Db, projectId: string, kind: RawKind, cutoff: Date, now: Date): Promise<PlannedDay[]> {
  const { table, time } = RAW_TABLES[kind];
  const { rows } = await db.query<{ day: Date; rows: string; bytes: string }>(
    `SELECT date_trunc('day', "${time}", 'UTC') AS day, count(*) AS rows, coalesce(sum(pg_column_size(t.*)), 0) AS bytes
       FROM "${table}" t WHERE project_id = $1 AND "${time}" < $2 GROUP BY 1 ORDER BY 1`,
    [projectId, cutoff],
  );
  // Days a restore brought back stay until their hold ends (restore.ts).
  const held = rows.length ? await heldDays(db, projectId, kind, now) : new Set<string>();
  return rows.filter((r) => !held.has(utcDay(r.day))).map((r) => ({ day: r.day, rows: Number(r.rows), bytes: Number(r.bytes) }));
}

async function planRollups(db: Db, tables: string[], projectId: string, cutoff: Date): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  for (const table of tables) {
    const r = await db.query<{ rows: string; bytes: string }>(
      `SELECT count(*) AS rows, coalesce(sum(pg_column_size(t.*)), 0) AS bytes FROM "${table}" t
        WHERE project_id = $1 AND grain = ANY($2::text[]) AND bucket_start < $3`,
      [projectId, POLICY_ROLLUP_GRAINS, cutoff],
    );
    rows += Number(r.rows[0]!.rows);
    bytes += Number(r.rows[0]!.bytes);
  }
  return { rows, bytes };
}

/**
 * Error groups the run removes: no event of theirs survives it (none newer than the cutoff, none on a
 * day a restore holds) and none was seen lately. The run deletes with the same rule after the events.
 */
export async function expiringErrorGroups(db: Db, projectId: string, cutoff: Date, now: Date): Promise<number> {
  const held = [...(await heldDays(db, projectId, "error_events", now))];
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM error_groups g WHERE g.project_id = $1 AND g.last_seen < $2
        AND NOT EXISTS (SELECT 1 FROM error_events e WHERE e.project_id = g.project_id AND e.group_id = g.id
                          AND (e.time >= $2 OR (e.time AT TIME ZONE 'UTC')::date = ANY($3::date[])))`,
    [projectId, cutoff, held],
  );
  return Number(rows[0]!.n);
}

export async function planProject(db: Db, project: { id: string; orgId: string }, policy: ProjectPolicy, now: Date, tables: string[]): Promise<ProjectPlan> {
  const kinds: KindPlan[] = [];
  for (const kind of RAW_KINDS) {
    const cutoff = cutoffFor(now, policy[kind].days);
    const byDay = await planRaw(db, project.id, kind, cutoff, now);
    kinds.push({
      kind,
      days: policy[kind].days,
      cutoff,
      byDay,
      rows: byDay.reduce((n, d) => n + d.rows, 0),
      bytes: byDay.reduce((n, d) => n + d.bytes, 0),
    });
  }
  const rollupCutoff = cutoffFor(now, policy.rollups.days);
  kinds.push({ kind: "rollups", days: policy.rollups.days, cutoff: rollupCutoff, byDay: [], ...(await planRollups(db, tables, project.id, rollupCutoff)) });
  const errorCutoff = cutoffFor(now, policy.error_events.days);
  return { projectId: project.id, orgId: project.orgId, kinds, errorGroups: await expiringErrorGroups(db, project.id, errorCutoff, now) };
}

export async function listProjects(db: Db, projectIds?: string[]): Promise<Array<{ id: string; orgId: string }>> {
  const { rows } = await db.query<{ id: string; org_id: string }>(
    `SELECT id, org_id FROM projects WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`,
    [projectIds ?? null],
  );
  return rows.map((r) => ({ id: r.id, orgId: r.org_id }));
}

/** The plan for these projects (all when none given) at `now`. */
export async function planRetention(db: Db, options: { now?: Date; projectIds?: string[] } = {}): Promise<ProjectPlan[]> {
  const now = options.now ?? new Date();
  const projects = await listProjects(db, options.projectIds);
  const policies = await policiesFor(
    db,
    projects.map((p) => p.id),
  );
  const tables = await rollupTables(db);
  const plans: ProjectPlan[] = [];
  for (const project of projects) plans.push(await planProject(db, project, policies.get(project.id)!, now, tables));
  return plans;
}

/** The dry run's printout: one line per project and kind with anything to do. */
export function formatPlan(plans: ProjectPlan[]): string {
  const lines = ["project                               kind            cutoff                    rows        bytes"];
  for (const p of plans) {
    for (const k of p.kinds.filter((k) => k.rows > 0)) {
      lines.push(`${p.projectId}  ${k.kind.padEnd(14)}  ${k.cutoff.toISOString()}  ${String(k.rows).padStart(10)}  ${String(k.bytes).padStart(11)}`);
    }
    if (p.errorGroups) lines.push(`${p.projectId}  ${"error_groups".padEnd(14)}  ${"(no events left)".padEnd(24)}  ${String(p.errorGroups).padStart(10)}`);
  }
  const rows = plans.flatMap((p) => p.kinds).reduce((n, k) => n + k.rows, 0);
  lines.push(`total: ${rows} rows in ${plans.length} projects`);
  return lines.join("\n");
}
