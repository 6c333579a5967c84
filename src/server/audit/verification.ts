/**
 * What an organisation needs to verify an audit chain without trusting the portal: the instance's
 * verifier key, the chain's latest signed checkpoint (C2SP text, to keep elsewhere), how far that
 * checkpoint reaches, and inclusion proofs of single entries against it. The organisation's own log is
 * the chain named by its id (record.ts `chainFor`); an app's trail is `project:<id>` (app-trail.ts).
 * `npm run audit:verify -- --checkpoint <file>` or `@sightline/node/audit` check them.
 */
import { AppError } from "@/server/app-error";
import type { Db } from "@/server/db/sql";
import { verifierKey } from "./checkpoint";
import { inclusionProof, leafHash } from "./merkle";
import type { AuditSigningKey } from "./signing-key";
import { chainEntries, checkpointChains } from "./tree";

export type ChainCheckpoint = { treeSize: number; createdAt: Date; note: string };

export type AuditVerification = {
  verifierKey: string;
  entries: number;
  latest: ChainCheckpoint | null;
};

/** The latest signed checkpoint of `chain`, if any. */
export async function latestCheckpoint(db: Db, chain: string): Promise<ChainCheckpoint | null> {
  const { rows } = await db.query<{ tree_size: string; created_at: Date; note: string }>(
    `SELECT tree_size::text, created_at, note FROM audit_checkpoints WHERE chain = $1 ORDER BY tree_size DESC LIMIT 1`,
    [chain],
  );
  const row = rows[0];
  return row ? { treeSize: Number(row.tree_size), createdAt: row.created_at, note: row.note } : null;
}

export async function chainVerification(db: Db, key: Pick<AuditSigningKey, "keyName" | "publicKey">, chain: string): Promise<AuditVerification> {
  const { rows } = await db.query<{ entries: string }>(`SELECT count(*)::text AS entries FROM audit_log WHERE chain = $1`, [chain]);
  return { verifierKey: verifierKey(key.keyName, key.publicKey), entries: Number(rows[0]!.entries), latest: await latestCheckpoint(db, chain) };
}

/** Signs a checkpoint of `chain` now, if it grew since the last one. */
export async function checkpointChainNow(db: Db, key: AuditSigningKey, chain: string): Promise<{ checkpointed: boolean }> {
  const { checkpointed } = await checkpointChains(db, key, { chains: [chain] });
  return { checkpointed: checkpointed > 0 };
}

export type InclusionProof = {
  seq: number;
  /** The entry as hashed: canonical JSON (RFC 8785); its leaf is SHA-256(0x00 ‖ entry). */
  entry: string;
  leafHash: string;
  treeSize: number;
  proof: string[];
  checkpoint: string;
  verifierKey: string;
};

/** The RFC 9162 inclusion proof of entry `seq` of `chain` in its latest signed checkpoint. */
export async function inclusionProofOf(db: Db, key: Pick<AuditSigningKey, "keyName" | "publicKey">, chain: string, seq: number): Promise<InclusionProof> {
  const checkpoint = await latestCheckpoint(db, chain);
  if (!checkpoint) throw new AppError("CONFLICT", "No checkpoint covers this log yet: sign one (hourly, or on demand), then ask again", { field: "seq" });
  if (seq > checkpoint.treeSize) {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE chain = $1`, [chain]);
    if (seq > Number(rows[0]!.n)) throw new AppError("NOT_FOUND", `No entry ${seq} in this log (it has ${rows[0]!.n})`, { field: "seq" });
    throw new AppError("CONFLICT", `Entry ${seq} is newer than the latest checkpoint (${checkpoint.treeSize} entries): sign one, then ask again`, {
      field: "seq",
    });
  }
  // Only the leaves the checkpoint covers: the proof is against its root.
  const entries = await chainEntries(db, chain, checkpoint.treeSize);
  if (entries.length < checkpoint.treeSize)
    throw new AppError("CONFLICT", "This log is shorter than its latest checkpoint: run `npm run audit:verify`", { field: "seq" });
  const leaves = entries.map((e) => leafHash(e));
  return {
    seq,
    entry: entries[seq - 1]!,
    leafHash: leaves[seq - 1]!.toString("hex"),
    treeSize: checkpoint.treeSize,
    proof: inclusionProof(leaves, seq - 1).map((h) => h.toString("hex")),
    checkpoint: checkpoint.note,
    verifierKey: verifierKey(key.keyName, key.publicKey),
  };
}
