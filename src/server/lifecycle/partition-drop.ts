/**
 * Retention by whole partitions: a day partition of a raw kind that is past every planned project's
 * cutoff for that kind, and that no restore holds, is archived (each project's rows of the day,
 * verified, as archive-day.ts does) and then detached and dropped, instead of deleted row by row,
 * provided every row in it is one of those archived (planned) rows: a partition that also holds rows
 * of a project outside the run is left to the row pass. Empty expired partitions are dropped too.
 * Days dropped here leave the plan, so the row-by-row pass (projects whose shorter retention expires
 * a day others still keep) only sees what is left. A partition whose
 * rows changed since they were archived stays, and the row pass handles it (rows already archived
 * are deleted without being written twice).
 */
import type { Db, DbPool } from "../db/sql";
import type { ArchiveStore } from "./archive-store";
import { archiveDay, type AfterArchiveHook, type DayLimits, type DayResult } from "./archive-day";
import { utcDay } from "./archive-format";
import { RAW_KINDS, type RawKind } from "./kinds";
import { dayPartitions, dropDayPartition } from "./partitions";
import type { ProjectPlan } from "./retention-plan";

const DAY_MS = 86_400_000;

export type DroppedDay = { projectId: string; kind: RawKind; day: Date } & DayResult;
export type PartitionDrops = { partitions: string[]; days: DroppedDay[] };

async function heldAnywhere(db: Db, kind: RawKind, now: Date): Promise<Set<string>> {
  const { rows } = await db.query<{ day: string }>(`SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM restore_holds WHERE kind = $1 AND until > $2`, [
    kind,
    now,
  ]);
  return new Set(rows.map((r) => r.day));
}

/**
 * Drops the expired day partitions of every raw kind; the plans' byDay lists lose the days dropped here.
 */
export async function dropExpiredPartitions(
  db: DbPool,
  plans: ProjectPlan[],
  store: ArchiveStore | null,
  limits: DayLimits,
  now: Date,
  afterArchive?: AfterArchiveHook,
): Promise<PartitionDrops> {
  const out: PartitionDrops = { partitions: [], days: [] };
  if (!plans.length) return out;
  for (const kind of RAW_KINDS) {
    const kindPlans = plans.map((p) => ({ plan: p, k: p.kinds.find((k) => k.kind === kind)! }));
    const cutoff = Math.min(...kindPlans.map(({ k }) => k.cutoff.getTime()));
    const held = await heldAnywhere(db, kind, now);
    for (const partition of await dayPartitions(db, kind)) {
      if (partition.day.getTime() + DAY_MS > cutoff || held.has(utcDay(partition.day))) continue;
      const day = utcDay(partition.day);
      const results = new Map<string, DroppedDay>();
      const expected = new Map<string, number>();
      for (const { plan, k } of kindPlans) {
        const planned = k.byDay.find((d) => utcDay(d.day) === day);
        if (!planned) continue;
        const target = { orgId: plan.orgId, projectId: plan.projectId, kind, day: partition.day };
        const r = store ? await archiveDay(db, store, target, limits, afterArchive) : { archived: 0, deleted: 0, parts: [], covered: planned.rows };
        expected.set(plan.projectId, r.covered);
        results.set(plan.projectId, { projectId: plan.projectId, kind, day: partition.day, archived: r.archived, deleted: r.covered, parts: r.parts });
      }
      const dropped = await dropDayPartition(db, partition, expected);
      if (!dropped) continue;
      out.partitions.push(partition.name);
      for (const { k } of kindPlans) k.byDay = k.byDay.filter((d) => utcDay(d.day) !== day);
      out.days.push(...[...results.values()].filter((r) => r.deleted > 0 || r.archived > 0));
    }
  }
  return out;
}
