/**
 * One end user's data (the app's users: `userId` on logs, requests, error events, LLM calls and product
 * events, and `user.id` in error payloads): export it as NDJSON.gz, or erase it. Erasing deletes the
 * rows and the user's per-user rollup rows (DAU, users affected), queues the hours they lay in for the
 * rollup job to refold (so aggregates drop them too), and puts the id on the project's erasure list,
 * which archive:restore applies so the rows never come back. The audit records name the
 * erasure entry and the row counts, never the user id.
 */
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import type pg from "pg";
import type { Db } from "../db/sql";

export const ZEndUser = z.object({
  userId: z.string().trim().min(1, "Enter the user id your app sends as userId").max(256, "At most 256 characters"),
});

/** Where an end user's id is stored, per table (fixed SQL, never input). */
const USER_MATCH: Array<{ kind: string; table: string; where: string }> = [
  { kind: "logs", table: "logs", where: "user_id = $2" },
  { kind: "requests", table: "requests", where: "user_id = $2" },
  { kind: "error_events", table: "error_events", where: `(user_id = $2 OR "user"->>'id' = $2)` },
  { kind: "llm_calls", table: "llm_calls", where: "user_id = $2" },
  { kind: "product_events", table: "product_events", where: "user_id = $2" },
];

type Project = { id: string; orgId: string };

/** Rows stored about the user, per kind. */
export async function endUserCounts(db: Db, projectId: string, userId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of USER_MATCH) {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${m.table}" WHERE project_id = $1 AND ${m.where}`, [projectId, userId]);
    out[m.kind] = Number(rows[0]!.n);
  }
  return out;
}

/** Everything stored about the user, one `{"kind": …, "row": …}` line per row, gzipped; audited by counts. */
export async function exportEndUser(db: Db, project: Project, userId: string, actor: AuditActor): Promise<{ body: Buffer; rows: number }> {
  const lines: string[] = [];
  const counts: Record<string, number> = {};
  for (const m of USER_MATCH) {
    const { rows } = await db.query<{ j: string }>(
      `SELECT json_build_object('kind', $3::text, 'row', row_to_json(t))::text AS j FROM "${m.table}" t WHERE project_id = $1 AND ${m.where} ORDER BY id`,
      [project.id, userId, m.kind],
    );
    counts[m.kind] = rows.length;
    for (const r of rows) lines.push(r.j);
  }
  await recordAudit(
    auditFromActor(actor, { orgId: project.orgId, action: "end_user.exported", targetType: "project", targetId: project.id, metadata: { rows: counts } }),
  );
  return { body: gzipSync(Buffer.from(lines.length ? `${lines.join("\n")}\n` : "")), rows: lines.length };
}

/** Deletes the user's rows and per-user rollups and lists the id as erased, in one transaction. */
export async function eraseEndUser(pool: pg.Pool, project: Project, userId: string, actor: AuditActor) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO end_user_erasures (project_id, user_id, erased_by_id) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, user_id) DO UPDATE SET erased_at = now(), erased_by_id = EXCLUDED.erased_by_id RETURNING id`,
      [project.id, userId, actor.userId],
    );
    // The hours the user's rows lie in: the rollup job refolds their buckets, so aggregates (request
    // counts, LLM spend, error counts) drop the erased rows too, not only the per-user figures.
    await client.query(
      `INSERT INTO rollup_refolds (project_id, time_from, time_to, reason)
       SELECT $1, h, h + interval '1 hour', 'end_user_erased'
       FROM (${USER_MATCH.map((m) => `SELECT date_bin('1 hour', time, '2000-01-01 00:00:00+00') AS h FROM "${m.table}" WHERE project_id = $1 AND ${m.where}`).join(" UNION ")}) hours`,
      [project.id, userId],
    );
    const deleted: Record<string, number> = {};
    for (const m of USER_MATCH)
      deleted[m.kind] = (await client.query(`DELETE FROM "${m.table}" WHERE project_id = $1 AND ${m.where}`, [project.id, userId])).rowCount ?? 0;
    deleted.rollup_users = (await client.query(`DELETE FROM rollup_users WHERE project_id = $1 AND user_id = $2`, [project.id, userId])).rowCount ?? 0;
    await client.query("COMMIT");
    const erasureId = rows[0]!.id;
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "end_user.erased",
        targetType: "end_user_erasure",
        targetId: erasureId,
        metadata: { projectId: project.id, deleted },
      }),
    );
    return { erasureId, deleted };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The project's erased user ids (restore drops their rows). */
export async function erasedUserIds(db: Db, projectId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ user_id: string }>(`SELECT user_id FROM end_user_erasures WHERE project_id = $1`, [projectId]);
  return new Set(rows.map((r) => r.user_id));
}

/** True when an archived row belongs to an erased user. */
export function isErased(line: string, erased: Set<string>): boolean {
  if (!erased.size) return false;
  const row = JSON.parse(line) as { user_id?: string | null; user?: { id?: unknown } | null };
  return (row.user_id != null && erased.has(row.user_id)) || (typeof row.user?.id === "string" && erased.has(row.user.id));
}
