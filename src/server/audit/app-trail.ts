/**
 * Apps' own audit trails: `audit` events sent to a project (batch API, SDK `audit()`) are appended to
 * the project's chain in `audit_log` (`project:<id>`), with the same hash chain, Merkle tree and
 * signed checkpoints as the portal's own log, inside the ingest batch's transaction. A retry with the
 * same client id appends nothing (client ids are checked under the chain's lock, so the chain never
 * skips). Never deleted by retention.
 */
import type pg from "pg";
import { chainHash, GENESIS_HASH, type ChainedRecord } from "./chain";

type Client = Pick<pg.PoolClient, "query">;
/** An `audit` event as ingest validated it (src/server/ingest/schemas.ts), and when it happened. */
export type AppAuditEvent = {
  id?: string;
  actor: string | { id?: string; email?: string; type?: string; name?: string };
  action: string;
  target?: string | { type?: string; id?: string; name?: string };
  outcome: string;
  ip?: string;
  userAgent?: string;
  metadata?: Record<string, unknown>;
  service?: string;
  environment?: string;
};
export type AppAuditRow = { e: AppAuditEvent; time: Date };

export const projectChain = (projectId: string) => `project:${projectId}`;

function recordOf(row: AppAuditRow, chain: string, seq: bigint, createdAt: string): ChainedRecord {
  const { e } = row;
  const actor = typeof e.actor === "string" ? { id: e.actor } : e.actor;
  const target = typeof e.target === "string" ? { id: e.target } : e.target;
  return {
    chain,
    seq: seq.toString(),
    orgId: null,
    actorId: null,
    actorEmail: (actor.email ?? actor.id ?? null)?.slice(0, 254) ?? null,
    action: e.action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    metadata: {
      ...(e.metadata ?? {}),
      outcome: e.outcome,
      actor,
      ...(target?.name ? { targetName: target.name } : {}),
      occurredAt: row.time.toISOString(),
      ...(e.id ? { clientId: e.id } : {}),
      ...(e.service ? { service: e.service } : {}),
      ...(e.environment ? { environment: e.environment } : {}),
    },
    createdAt,
  };
}

/** Appends the batch's audit events to the project's chain; run inside the batch's transaction. */
export async function appendAppAudit(client: Client, projectId: string, rows: AppAuditRow[]): Promise<void> {
  if (!rows.length) return;
  const chain = projectChain(projectId);
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`audit:${chain}`]);
  const ids = rows.flatMap((r) => (r.e.id ? [r.e.id] : []));
  const seen = new Set<string>();
  if (ids.length) {
    const { rows: existing } = await client.query<{ id: string }>(
      `SELECT metadata->>'clientId' AS id FROM audit_log WHERE chain = $1 AND metadata->>'clientId' = ANY($2::text[])`,
      [chain, ids],
    );
    for (const r of existing) seen.add(r.id);
  }
  const fresh = rows.filter((r) => !r.e.id || (!seen.has(r.e.id) && (seen.add(r.e.id), true)));
  if (!fresh.length) return;
  const { rows: last } = await client.query<{ seq: string; hash: string }>(`SELECT seq::text, hash FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1`, [
    chain,
  ]);
  let seq = BigInt(last[0]?.seq ?? 0);
  let prevHash = last[0]?.hash ?? GENESIS_HASH;
  const createdAt = new Date();
  const columns: Record<string, unknown[]> = { seq: [], actor: [], action: [], targetType: [], targetId: [], ip: [], ua: [], metadata: [], prev: [], hash: [] };
  for (const row of fresh) {
    seq += 1n;
    const record = recordOf(row, chain, seq, createdAt.toISOString());
    const hash = chainHash(prevHash, record);
    columns.seq!.push(record.seq);
    columns.actor!.push(record.actorEmail);
    columns.action!.push(record.action);
    columns.targetType!.push(record.targetType);
    columns.targetId!.push(record.targetId);
    columns.ip!.push(record.ip);
    columns.ua!.push(record.userAgent);
    columns.metadata!.push(JSON.stringify(record.metadata));
    columns.prev!.push(prevHash);
    columns.hash!.push(hash);
    prevHash = hash;
  }
  await client.query(
    `INSERT INTO audit_log (chain, seq, org_id, actor_id, actor_email, action, target_type, target_id, ip, user_agent, metadata, created_at, prev_hash, hash)
     SELECT $1, u.seq, NULL, NULL, u.actor, u.action, u.target_type, u.target_id, u.ip, u.ua, u.metadata::jsonb, $2, u.prev, u.hash
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS u(seq, actor, action, target_type, target_id, ip, ua, metadata, prev, hash)`,
    [
      chain,
      createdAt,
      columns.seq,
      columns.actor,
      columns.action,
      columns.targetType,
      columns.targetId,
      columns.ip,
      columns.ua,
      columns.metadata,
      columns.prev,
      columns.hash,
    ],
  );
}
