/**
 * Archive, verify, then delete: the expired rows of one project, kind and UTC day.
 *
 * Crash safety comes from the order and from reading the archive back first: rows whose ids a
 * committed part already holds are deleted without being written again (a crash between archive and
 * delete); every other row of the day goes into a new part, which is written, read back, checked
 * against its sha256 and row count, committed by its manifest, and only then deleted, in batches
 * through the (project_id, time) index. So no row is deleted without an archived copy and no
 * archive holds a row twice, wherever a run stops.
 */
import { gzipSync } from "node:zlib";
import type { Db } from "../db/sql";
import type { ArchiveStore } from "./archive-store";
import { ARCHIVE_SCHEMA_VERSION, dayPrefix, idsOf, partKeys, readParts, sha256, utcDay, verifyPart, type Manifest } from "./archive-format";
import { RAW_TABLES, type RawKind } from "./kinds";

const DAY_MS = 86_400_000;

export type DayTarget = { orgId: string; projectId: string; kind: RawKind; day: Date };
export type DayLimits = { partRows: number; deleteBatch: number };
export type DayResult = { archived: number; deleted: number; parts: Array<{ file: string; sha256: string; rows: number }> };
/** Test hook: called after a part is committed and before its rows are deleted (crash injection). */
export type AfterArchiveHook = (manifest: Manifest) => void | Promise<void>;

async function deleteIds(db: Db, target: DayTarget, ids: string[], batch: number): Promise<number> {
  const { table, time } = RAW_TABLES[target.kind];
  const end = new Date(target.day.getTime() + DAY_MS);
  let deleted = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const r = await db.query(`DELETE FROM "${table}" WHERE project_id = $1 AND "${time}" >= $2 AND "${time}" < $3 AND id = ANY($4::bigint[])`, [
      target.projectId,
      target.day,
      end,
      ids.slice(i, i + batch),
    ]);
    deleted += r.rowCount ?? 0;
  }
  return deleted;
}

async function writePart(store: ArchiveStore, target: DayTarget, prefix: string, part: number, rows: Array<{ json: string; t: Date }>): Promise<Manifest> {
  const keys = partKeys(prefix, part);
  const gz = gzipSync(Buffer.from(`${rows.map((r) => r.json).join("\n")}\n`, "utf8"));
  await store.put(keys.data, gz);
  const manifest: Manifest = {
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    orgId: target.orgId,
    projectId: target.projectId,
    kind: target.kind,
    table: RAW_TABLES[target.kind].table,
    day: utcDay(target.day),
    part,
    file: keys.data,
    rowCount: rows.length,
    firstTime: rows[0]!.t.toISOString(),
    lastTime: rows.at(-1)!.t.toISOString(),
    bytes: gz.length,
    sha256: sha256(gz),
    createdAt: new Date().toISOString(),
  };
  // Read back what the store now holds before anything is deleted.
  verifyPart(manifest, await store.get(keys.data));
  await store.put(keys.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}

export async function archiveAndDeleteDay(
  db: Db,
  store: ArchiveStore,
  target: DayTarget,
  limits: DayLimits,
  afterArchive?: AfterArchiveHook,
): Promise<DayResult> {
  const { table, time } = RAW_TABLES[target.kind];
  const end = new Date(target.day.getTime() + DAY_MS);
  const prefix = dayPrefix({ ...target, day: utcDay(target.day) });
  const result: DayResult = { archived: 0, deleted: 0, parts: [] };

  const existing = await readParts(store, prefix);
  let part = existing.at(-1)?.manifest.part ?? 0;
  // Rows a committed part holds (a run stopped before deleting them, or restore brought them back).
  result.deleted += await deleteIds(
    db,
    target,
    existing.flatMap((p) => idsOf(p.lines)),
    limits.deleteBatch,
  );

  for (;;) {
    const { rows } = await db.query<{ id: string; t: Date; json: string }>(
      `SELECT id::text AS id, "${time}" AS t, row_to_json(x)::text AS json FROM "${table}" x
        WHERE project_id = $1 AND "${time}" >= $2 AND "${time}" < $3 ORDER BY "${time}", id LIMIT $4`,
      [target.projectId, target.day, end, limits.partRows],
    );
    if (!rows.length) break;
    part += 1;
    const manifest = await writePart(store, target, prefix, part, rows);
    result.archived += rows.length;
    result.parts.push({ file: manifest.file, sha256: manifest.sha256, rows: rows.length });
    await afterArchive?.(manifest);
    const deleted = await deleteIds(
      db,
      target,
      rows.map((r) => r.id),
      limits.deleteBatch,
    );
    if (deleted !== rows.length) throw new Error(`${table}: archived ${rows.length} rows of ${utcDay(target.day)} but deleted ${deleted}`);
    result.deleted += deleted;
  }
  return result;
}

/**
 * Archive only, for a day whose partition is then dropped whole (partition-drop.ts): every row of the
 * project's day ends up in a committed part exactly once (rows an earlier part holds are skipped).
 * `covered` is how many of the day's rows the archive now holds, to check against the partition.
 */
export async function archiveDay(
  db: Db,
  store: ArchiveStore,
  target: DayTarget,
  limits: DayLimits,
  afterArchive?: AfterArchiveHook,
): Promise<DayResult & { covered: number }> {
  const { table, time } = RAW_TABLES[target.kind];
  const end = new Date(target.day.getTime() + DAY_MS);
  const prefix = dayPrefix({ ...target, day: utcDay(target.day) });
  const result = { archived: 0, deleted: 0, covered: 0, parts: [] as DayResult["parts"] };
  const existing = await readParts(store, prefix);
  const held = new Set(existing.flatMap((p) => idsOf(p.lines)));
  let part = existing.at(-1)?.manifest.part ?? 0;
  let after = null as { t: Date; id: string } | null;
  for (;;) {
    const { rows }: { rows: Array<{ id: string; t: Date; json: string }> } = await db.query(
      `SELECT id::text AS id, "${time}" AS t, row_to_json(x)::text AS json FROM "${table}" x
        WHERE project_id = $1 AND "${time}" >= $2 AND "${time}" < $3 AND ($5::timestamptz IS NULL OR ("${time}", id) > ($5, $6::bigint))
        ORDER BY "${time}", id LIMIT $4`,
      [target.projectId, target.day, end, limits.partRows, after?.t ?? null, after?.id ?? null],
    );
    if (!rows.length) break;
    after = { t: rows.at(-1)!.t, id: rows.at(-1)!.id };
    result.covered += rows.length;
    const fresh = rows.filter((r) => !held.has(r.id));
    if (!fresh.length) continue;
    part += 1;
    const manifest = await writePart(store, target, prefix, part, fresh);
    result.archived += fresh.length;
    result.parts.push({ file: manifest.file, sha256: manifest.sha256, rows: fresh.length });
    await afterArchive?.(manifest);
  }
  return result;
}

/** Without archiving (ARCHIVE_BEFORE_DELETE=0): the day's rows deleted in batches. */
export async function deleteDay(db: Db, target: DayTarget, limits: DayLimits): Promise<DayResult> {
  const { table, time } = RAW_TABLES[target.kind];
  const end = new Date(target.day.getTime() + DAY_MS);
  let deleted = 0;
  for (;;) {
    const r = await db.query(
      `DELETE FROM "${table}" WHERE project_id = $1 AND id = ANY(ARRAY(
         SELECT id FROM "${table}" WHERE project_id = $1 AND "${time}" >= $2 AND "${time}" < $3 LIMIT $4))`,
      [target.projectId, target.day, end, limits.deleteBatch],
    );
    deleted += r.rowCount ?? 0;
    if (!r.rowCount) break;
  }
  return { archived: 0, deleted, parts: [] };
}
