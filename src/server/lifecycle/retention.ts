/**
 * The retention job (registry name `retention`, daily; `npm run job -- retention [--dry-run]`).
 * Per project it works through the plan (retention-plan.ts): for each raw kind and expired UTC day,
 * archive-verify-delete (archive-day.ts), or delete only when ARCHIVE_BEFORE_DELETE=0; then the
 * error groups none of whose events remain, then the expired hour-and-longer rollup buckets. Each
 * project that lost rows gets a receipt in its organisation's audit chain. Archive storage is probed
 * before anything is deleted: when it is unusable the run fails (the job history keeps the reason).
 */
import { env } from "../env";
import { log } from "../log";
import type { Db, DbPool } from "../db/sql";
import { recordAudit } from "../audit/record";
import type { ArchiveStore } from "./archive-store";
import { archiveStoreFromEnv } from "./store-from-env";
import { archiveAndDeleteDay, deleteDay, type AfterArchiveHook, type DayLimits } from "./archive-day";
import { DEDUPE_WINDOW_DAYS, POLICY_ROLLUP_GRAINS, type RawKind, type RetentionKind } from "./kinds";
import { planRetention, rollupTables, type ProjectPlan } from "./retention-plan";
import { ensurePartitionsAhead } from "./partitions";
import { dropExpiredPartitions, type DroppedDay } from "./partition-drop";

export type RetentionOptions = {
  now?: Date;
  dryRun?: boolean;
  /** Only these projects (tests, and a future per-project trigger); all when absent. */
  projectIds?: string[];
  store?: ArchiveStore;
  archive?: boolean;
  limits?: Partial<DayLimits>;
  afterArchive?: AfterArchiveHook;
};

export type KindOutcome = {
  kind: RetentionKind;
  cutoff: string;
  archived: number;
  deleted: number;
  archives: Array<{ file: string; sha256: string; rows: number }>;
};
export type ProjectOutcome = { projectId: string; orgId: string; kinds: KindOutcome[]; errorGroupsDeleted: number };
export type RetentionReport = {
  dryRun: boolean;
  archive: boolean;
  location: string | null;
  plan: ProjectPlan[];
  projects: ProjectOutcome[];
  /** Day partitions created ahead, and dropped whole. */
  partitions: { created: string[]; dropped: string[] };
};

const DEFAULT_LIMITS: DayLimits = { partRows: 50_000, deleteBatch: 5_000 };

async function deleteRollups(db: Db, tables: string[], projectId: string, cutoff: Date, batch: number): Promise<number> {
  let deleted = 0;
  for (const table of tables) {
    for (;;) {
      const r = await db.query(
        `DELETE FROM "${table}" WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "${table}" WHERE project_id = $1 AND grain = ANY($2::text[]) AND bucket_start < $3 LIMIT $4))`,
        [projectId, POLICY_ROLLUP_GRAINS, cutoff, batch],
      );
      deleted += r.rowCount ?? 0;
      if (!r.rowCount) break;
    }
  }
  return deleted;
}

async function deleteEmptyErrorGroups(db: Db, projectId: string, cutoff: Date): Promise<number> {
  const r = await db.query(
    `DELETE FROM error_groups g WHERE g.project_id = $1 AND g.last_seen < $2
        AND NOT EXISTS (SELECT 1 FROM error_events e WHERE e.project_id = g.project_id AND e.group_id = g.id)`,
    [projectId, cutoff],
  );
  return r.rowCount ?? 0;
}

/** Ingest's client-id claims older than the dedupe window, in batches through (project_id, seen_at). */
async function pruneClientIds(db: Db, projectId: string, now: Date, batch: number): Promise<void> {
  const before = new Date(now.getTime() - DEDUPE_WINDOW_DAYS * 86_400_000);
  for (;;) {
    const r = await db.query(
      `DELETE FROM ingest_client_ids WHERE project_id = $1 AND (kind, client_id) IN (
         SELECT kind, client_id FROM ingest_client_ids WHERE project_id = $1 AND seen_at < $2 LIMIT $3)`,
      [projectId, before, batch],
    );
    if (!r.rowCount) break;
  }
}

async function applyPlan(
  db: Db,
  plan: ProjectPlan,
  store: ArchiveStore | null,
  limits: DayLimits,
  tables: string[],
  dropped: DroppedDay[],
  afterArchive?: AfterArchiveHook,
): Promise<ProjectOutcome> {
  const outcome: ProjectOutcome = { projectId: plan.projectId, orgId: plan.orgId, kinds: [], errorGroupsDeleted: 0 };
  for (const k of plan.kinds) {
    const o: KindOutcome = { kind: k.kind, cutoff: k.cutoff.toISOString(), archived: 0, deleted: 0, archives: [] };
    // Days whose partition was dropped whole (partition-drop.ts) count here; the loop below skips them.
    for (const d of dropped.filter((d) => d.kind === k.kind)) {
      o.archived += d.archived;
      o.deleted += d.deleted;
      o.archives.push(...d.parts);
    }
    if (k.kind === "rollups") {
      if (k.rows) o.deleted = await deleteRollups(db, tables, plan.projectId, k.cutoff, limits.deleteBatch);
    } else {
      for (const { day } of k.byDay) {
        const target = { orgId: plan.orgId, projectId: plan.projectId, kind: k.kind as RawKind, day };
        const r = store ? await archiveAndDeleteDay(db, store, target, limits, afterArchive) : await deleteDay(db, target, limits);
        o.archived += r.archived;
        o.deleted += r.deleted;
        o.archives.push(...r.parts);
      }
    }
    if (k.kind === "error_events" && plan.errorGroups) outcome.errorGroupsDeleted = await deleteEmptyErrorGroups(db, plan.projectId, k.cutoff);
    if (o.deleted || o.archived) outcome.kinds.push(o);
  }
  return outcome;
}

/**
 * Before the row pass a run keeps the day partitions: it creates the days ahead and drops whole the
 * partitions whose every row is an expired row of a planned project (partition-drop.ts), so a run
 * over some projects never drops a partition other projects' rows share.
 */
export async function runRetention(db: DbPool, options: RetentionOptions = {}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const archive = options.archive ?? env.ARCHIVE_BEFORE_DELETE;
  const store = archive ? (options.store ?? archiveStoreFromEnv()) : null;
  const plan = await planRetention(db, { now, projectIds: options.projectIds });
  const report: RetentionReport = {
    dryRun: Boolean(options.dryRun),
    archive,
    location: store?.location ?? null,
    plan,
    projects: [],
    partitions: { created: [], dropped: [] },
  };
  if (options.dryRun) return report;
  // Before any delete: a store that cannot take a write fails the run here.
  if (store) await store.probe();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const tables = await rollupTables(db);
  report.partitions.created = await ensurePartitionsAhead(db, now);
  const drops = await dropExpiredPartitions(db, plan, store, limits, now, options.afterArchive);
  report.partitions.dropped = drops.partitions;
  for (const p of plan) {
    await pruneClientIds(db, p.projectId, now, limits.deleteBatch);
    if (!p.kinds.some((k) => k.rows) && !p.errorGroups) continue;
    const outcome = await applyPlan(
      db,
      p,
      store,
      limits,
      tables,
      drops.days.filter((d) => d.projectId === p.projectId),
      options.afterArchive,
    );
    report.projects.push(outcome);
    await recordAudit({
      orgId: p.orgId,
      action: "retention.applied",
      targetType: "project",
      targetId: p.projectId,
      metadata: { archive, location: store?.location ?? null, kinds: outcome.kinds, errorGroupsDeleted: outcome.errorGroupsDeleted },
    });
    log.info({ projectId: p.projectId, kinds: outcome.kinds.map((k) => `${k.kind}:${k.deleted}`) }, "retention applied");
  }
  return report;
}

/** What the job history keeps of a run (full receipts are in the audit chains). */
export function summarise(report: RetentionReport) {
  const kinds = report.projects.flatMap((p) => p.kinds);
  const planned = report.plan.flatMap((p) => p.kinds);
  return {
    dryRun: report.dryRun,
    projects: report.projects.length,
    partitionsDropped: report.partitions.dropped.length,
    plannedRows: planned.reduce((n, k) => n + k.rows, 0),
    plannedBytes: planned.reduce((n, k) => n + k.bytes, 0),
    archived: kinds.reduce((n, k) => n + k.archived, 0),
    deleted: kinds.reduce((n, k) => n + k.deleted, 0),
    errorGroupsDeleted: report.projects.reduce((n, p) => n + p.errorGroupsDeleted, 0),
  };
}
