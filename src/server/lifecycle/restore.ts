/**
 * `npm run archive:restore`: re-imports archived rows of one project and kind for a range of UTC days,
 * so they can be searched again. Idempotent: rows keep their ids and `ON CONFLICT DO NOTHING` skips
 * any already present, so a second restore inserts nothing. Each restored day is held from retention
 * for `keepDays`; after that the next run deletes the rows again without archiving them twice (the
 * archive already holds them).
 */
import { z } from "zod";
import { notFound } from "../app-error";
import { recordAudit } from "../audit/record";
import type { Db } from "../db/sql";
import type { ArchiveStore } from "./archive-store";
import { dayPrefix, readParts, utcDay } from "./archive-format";
import { RAW_TABLES, ZRawKind } from "./kinds";
import { erasedUserIds, isErased } from "./end-user";

const DAY_MS = 86_400_000;
const INSERT_BATCH = 1_000;
const MAX_DAYS = 3650;

const ZDate = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a date such as 2026-11-01`)
    .transform((d) => new Date(`${d}T00:00:00Z`));

export const ZRestore = z
  .object({
    projectId: z.uuid("project must be a project id"),
    kind: ZRawKind,
    from: ZDate("from"),
    to: ZDate("to"),
    keepDays: z.coerce.number().int("keep-days must be a whole number").min(1, "keep-days must be at least 1").max(MAX_DAYS).default(7),
  })
  .refine((r) => r.from <= r.to, { message: "from must not be after to", path: ["from"] })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_DAYS * DAY_MS, { message: `at most ${MAX_DAYS} days at a time`, path: ["to"] });
export type RestoreInput = z.input<typeof ZRestore>;

export type RestoreResult = { days: Array<{ day: string; archived: number; inserted: number }>; inserted: number; heldUntil: string };

export async function restoreArchives(db: Db, store: ArchiveStore, input: RestoreInput, now = new Date()): Promise<RestoreResult> {
  const { projectId, kind, from, to, keepDays } = ZRestore.parse(input);
  const { rows: found } = await db.query<{ org_id: string }>(`SELECT org_id FROM projects WHERE id = $1`, [projectId]);
  if (!found[0]) throw notFound("Project not found");
  const orgId = found[0].org_id;
  const { table } = RAW_TABLES[kind];
  const until = new Date(now.getTime() + keepDays * DAY_MS);
  const result: RestoreResult = { days: [], inserted: 0, heldUntil: until.toISOString() };
  const erased = await erasedUserIds(db, projectId);

  for (let t = from.getTime(); t <= to.getTime(); t += DAY_MS) {
    const day = utcDay(new Date(t));
    const parts = await readParts(store, dayPrefix({ orgId, projectId, kind, day }));
    if (!parts.length) continue;
    // Rows of end users erased since they were archived stay erased.
    const lines = parts.flatMap((p) => p.lines).filter((line) => !isErased(line, erased));
    // Hold the day first, so a retention run that starts mid-restore leaves it alone.
    await db.query(
      `INSERT INTO restore_holds (project_id, kind, day, until, rows) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, kind, day) DO UPDATE SET until = GREATEST(restore_holds.until, EXCLUDED.until), rows = EXCLUDED.rows`,
      [projectId, kind, day, until, lines.length],
    );
    let inserted = 0;
    for (let i = 0; i < lines.length; i += INSERT_BATCH) {
      // Table name from RAW_TABLES; rows only of this project, whatever the file says.
      const r = await db.query(
        `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $2::json) WHERE project_id = $1 ON CONFLICT DO NOTHING`,
        [projectId, `[${lines.slice(i, i + INSERT_BATCH).join(",")}]`],
      );
      inserted += r.rowCount ?? 0;
    }
    result.days.push({ day, archived: lines.length, inserted });
    result.inserted += inserted;
  }
  await recordAudit({
    orgId,
    action: "archive.restored",
    targetType: "project",
    targetId: projectId,
    metadata: { kind, from: utcDay(from), to: utcDay(to), rows: result.inserted, heldUntil: result.heldUntil },
  });
  return result;
}

/** Days of a kind that a restore holds from retention at `now`. */
export async function heldDays(db: Db, projectId: string, kind: string, now: Date): Promise<Set<string>> {
  const { rows } = await db.query<{ day: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM restore_holds WHERE project_id = $1 AND kind = $2 AND until > $3`,
    [projectId, kind, now],
  );
  return new Set(rows.map((r) => r.day));
}
