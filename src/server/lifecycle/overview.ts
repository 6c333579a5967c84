/**
 * Settings → Data: per kind the rows stored, the oldest event, their size in the table, the policy,
 * and what the next retention run will remove (the same plan the run and the dry run use).
 */
import { Cron } from "croner";
import { env } from "../env";
import type { Db } from "../db/sql";
import { policiesFor } from "./policy";
import { POLICY_ROLLUP_GRAINS, RAW_KINDS, RAW_TABLES, type RetentionKind } from "./kinds";
import { planProject, rollupTables } from "./retention-plan";

/** The retention job's schedule (UTC); JOBS_SCHEDULE may override it like any job's. */
export const RETENTION_CRON = "30 3 * * *";
const retentionCron = () => env.JOBS_SCHEDULE?.retention ?? RETENTION_CRON;

type Stored = { rows: number; oldest: Date | null; bytes: number };

async function storedRaw(db: Db, projectId: string, table: string, time: string): Promise<Stored> {
  const { rows } = await db.query<{ rows: string; oldest: Date | null; bytes: string }>(
    `SELECT count(*) AS rows, min("${time}") AS oldest, coalesce(sum(pg_column_size(t.*)), 0) AS bytes FROM "${table}" t WHERE project_id = $1`,
    [projectId],
  );
  return { rows: Number(rows[0]!.rows), oldest: rows[0]!.oldest, bytes: Number(rows[0]!.bytes) };
}

async function storedRollups(db: Db, projectId: string, tables: string[]): Promise<Stored> {
  const total: Stored = { rows: 0, oldest: null, bytes: 0 };
  for (const table of tables) {
    const { rows } = await db.query<{ rows: string; oldest: Date | null; bytes: string }>(
      `SELECT count(*) AS rows, min(bucket_start) AS oldest, coalesce(sum(pg_column_size(t.*)), 0) AS bytes
         FROM "${table}" t WHERE project_id = $1 AND grain = ANY($2::text[])`,
      [projectId, POLICY_ROLLUP_GRAINS],
    );
    const r = rows[0]!;
    total.rows += Number(r.rows);
    total.bytes += Number(r.bytes);
    if (r.oldest && (!total.oldest || r.oldest < total.oldest)) total.oldest = r.oldest;
  }
  return total;
}

export async function dataOverview(db: Db, project: { id: string; orgId: string }, now = new Date()) {
  const policy = (await policiesFor(db, [project.id])).get(project.id)!;
  const tables = await rollupTables(db);
  const nextRunAt = new Cron(retentionCron(), { timezone: "UTC", paused: true }).nextRun(now);
  // The estimate is for the next run, so its cutoffs are computed at that instant.
  const plan = await planProject(db, project, policy, nextRunAt ?? now, tables);
  const kinds = [];
  for (const kind of [...RAW_KINDS, "rollups"] as RetentionKind[]) {
    const stored =
      kind === "rollups"
        ? await storedRollups(db, project.id, tables)
        : await storedRaw(
            db,
            project.id,
            RAW_TABLES[kind as Exclude<RetentionKind, "rollups">].table,
            RAW_TABLES[kind as Exclude<RetentionKind, "rollups">].time,
          );
    const planned = plan.kinds.find((k) => k.kind === kind)!;
    kinds.push({ ...policy[kind], ...stored, cutoff: planned.cutoff, expiringRows: planned.rows, expiringBytes: planned.bytes });
  }
  return { nextRunAt, archiveBeforeDelete: env.ARCHIVE_BEFORE_DELETE, auditDays: env.RETENTION_AUDIT_DAYS, kinds, expiringErrorGroups: plan.errorGroups };
}
