/**
 * What an organisation needs to verify its audit log without trusting the portal: the instance's
 * verifier key, the latest signed checkpoint of its chain (C2SP text, to keep elsewhere), and how far
 * that checkpoint reaches. `npm run audit:verify -- --checkpoint <file>` or `@sightline/node/audit`
 * check the log against a checkpoint kept this way.
 */
import type { Db } from "@/server/db/sql";
import { verifierKey } from "./checkpoint";
import type { AuditSigningKey } from "./signing-key";
import { checkpointChains } from "./tree";

export type AuditVerification = {
  verifierKey: string;
  entries: number;
  latest: OrgCheckpoint | null;
};

export type OrgCheckpoint = { treeSize: number; createdAt: Date; note: string };

/** The latest signed checkpoint of the organisation's chain (its id: record.ts `chainFor`), if any. */
export async function latestOrgCheckpoint(db: Db, orgId: string): Promise<OrgCheckpoint | null> {
  const { rows } = await db.query<{ tree_size: string; created_at: Date; note: string }>(
    `SELECT tree_size::text, created_at, note FROM audit_checkpoints WHERE chain = $1 ORDER BY tree_size DESC LIMIT 1`,
    [orgId],
  );
  const row = rows[0];
  return row ? { treeSize: Number(row.tree_size), createdAt: row.created_at, note: row.note } : null;
}

export async function orgAuditVerification(db: Db, key: Pick<AuditSigningKey, "keyName" | "publicKey">, orgId: string): Promise<AuditVerification> {
  const { rows } = await db.query<{ entries: string }>(`SELECT count(*)::text AS entries FROM audit_log WHERE chain = $1`, [orgId]);
  return { verifierKey: verifierKey(key.keyName, key.publicKey), entries: Number(rows[0]!.entries), latest: await latestOrgCheckpoint(db, orgId) };
}

/** Signs a checkpoint of the organisation's chain now, if it grew since the last one. */
export async function checkpointOrgNow(db: Db, key: AuditSigningKey, orgId: string): Promise<{ checkpointed: boolean }> {
  const { checkpointed } = await checkpointChains(db, key, { chains: [orgId] });
  return { checkpointed: checkpointed > 0 };
}
