/**
 * Each audit chain as a Merkle tree (merkle.ts): its records, canonicalised as for the hash chain,
 * are the leaves in seq order. `checkpointChains` signs a checkpoint of every chain that grew;
 * `verifyChainsAgainstCheckpoints` proves each chain's current tree consistent with its latest
 * checkpoint (or one kept elsewhere), which catches what the hash chain alone cannot: entries
 * deleted at the tail, and history rewritten with every later hash recomputed.
 */
import canonicalize from "canonicalize";
import type { Db } from "@/server/db/sql";
import { type ChainedRecord } from "./chain";
import { signCheckpoint, verifyCheckpoint, type Checkpoint } from "./checkpoint";
import { consistencyProof, leafHash, rootFromLeafHashes, verifyConsistency } from "./merkle";
import type { AuditSigningKey } from "./signing-key";

type Row = {
  chain: string;
  seq: string;
  org_id: string | null;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  metadata: unknown;
  created_at: Date;
};

function entryOf(row: Row): string {
  const record: ChainedRecord = {
    chain: row.chain,
    seq: row.seq,
    orgId: row.org_id,
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  };
  return canonicalize(record)!;
}

/** The entries of one chain (canonical JSON, what the leaves hash), in seq order; the first `upTo` only when given. */
export async function chainEntries(db: Db, chain: string, upTo?: number): Promise<string[]> {
  const { rows } = await db.query<Row>(
    `SELECT chain, seq::text, org_id, actor_id, actor_email, action, target_type, target_id, ip, user_agent, metadata, created_at
       FROM audit_log WHERE chain = $1 AND ($2::bigint IS NULL OR audit_log.seq <= $2)
      ORDER BY audit_log.seq`, // the bigint, not the text alias
    [chain, upTo ?? null],
  );
  return rows.map(entryOf);
}

/** The leaf hashes of one chain, in seq order. */
async function chainLeaves(db: Db, chain: string): Promise<Buffer[]> {
  return (await chainEntries(db, chain)).map((entry) => leafHash(entry));
}

const originOf = (key: Pick<AuditSigningKey, "keyName">, chain: string) => `${key.keyName}/${chain}`;

/** Signs and stores a checkpoint of every chain with entries its latest checkpoint does not cover. */
export async function checkpointChains(db: Db, key: AuditSigningKey, options: { chains?: string[] } = {}): Promise<{ checkpointed: number }> {
  const { rows } = await db.query<{ chain: string; size: string; covered: string | null }>(
    `SELECT a.chain, count(*)::text AS size, (SELECT max(tree_size)::text FROM audit_checkpoints c WHERE c.chain = a.chain) AS covered
       FROM audit_log a WHERE ($1::text[] IS NULL OR a.chain = ANY($1)) GROUP BY a.chain`,
    [options.chains ?? null],
  );
  let checkpointed = 0;
  for (const r of rows.filter((r) => Number(r.size) > Number(r.covered ?? 0))) {
    const leaves = await chainLeaves(db, r.chain);
    const signed = signCheckpoint({ origin: originOf(key, r.chain), size: leaves.length, root: rootFromLeafHashes(leaves) }, key);
    const inserted = await db.query(
      `INSERT INTO audit_checkpoints (chain, tree_size, root_hash, note) VALUES ($1, $2, $3, $4) ON CONFLICT (chain, tree_size) DO NOTHING`,
      [r.chain, signed.size, signed.root.toString("hex"), signed.note],
    );
    checkpointed += inserted.rowCount ?? 0;
  }
  return { checkpointed };
}

export type ChainProblem = { chain: string; position: number | null; reason: string };

/** Checks `chain`'s current tree against checkpoint `c` (already signature-checked); `after` = a smaller size known good. */
function checkAgainst(chain: string, leaves: Buffer[], c: Checkpoint, after = 0): ChainProblem | null {
  if (leaves.length < c.size)
    return {
      chain,
      position: leaves.length + 1,
      reason: `the checkpoint covers ${c.size} entries but the chain has ${leaves.length}: entries from position ${leaves.length + 1} were deleted`,
    };
  const proof = consistencyProof(leaves, c.size);
  if (verifyConsistency(c.size, leaves.length, c.root, rootFromLeafHashes(leaves), proof)) return null;
  const first = after + 1;
  return {
    chain,
    position: first === c.size ? first : null,
    reason: `entries ${first === c.size ? `at position ${first}` : `between positions ${first} and ${c.size}`} no longer match the signed checkpoint of size ${c.size}: rewritten, inserted or deleted`,
  };
}

/**
 * Every chain against its stored checkpoints (each signature checked; the oldest failing one,
 * after the newest passing one, brackets the first bad position), or against `external` notes
 * kept elsewhere (`audit:verify -- --checkpoint <file>`).
 */
export async function verifyChainsAgainstCheckpoints(
  db: Db,
  key: Pick<AuditSigningKey, "keyName" | "publicKey">,
  external?: string[],
): Promise<{ checked: number; problems: ChainProblem[] }> {
  const notes = external
    ? external.map((note) => ({ chain: null as string | null, note }))
    : (await db.query<{ chain: string; note: string }>(`SELECT chain, note FROM audit_checkpoints ORDER BY chain, tree_size`)).rows;
  const problems: ChainProblem[] = [];
  const leavesOf = new Map<string, Buffer[]>();
  const goodUpTo = new Map<string, number>();
  const failed = new Set<string>();
  for (const n of notes) {
    if (n.chain && failed.has(n.chain)) continue;
    const parsed = verifyCheckpoint(n.note, key);
    if (!parsed.ok) {
      problems.push({ chain: n.chain ?? "?", position: null, reason: `checkpoint refused: ${parsed.reason}` });
      if (n.chain) failed.add(n.chain);
      continue;
    }
    const chain = parsed.checkpoint.origin.slice(`${key.keyName}/`.length);
    if (!parsed.checkpoint.origin.startsWith(`${key.keyName}/`) || (n.chain && n.chain !== chain)) {
      problems.push({ chain: n.chain ?? chain, position: null, reason: `checkpoint for another log: ${parsed.checkpoint.origin}` });
      continue;
    }
    if (!leavesOf.has(chain)) leavesOf.set(chain, await chainLeaves(db, chain));
    const problem = checkAgainst(chain, leavesOf.get(chain)!, parsed.checkpoint, goodUpTo.get(chain) ?? 0);
    if (problem) {
      problems.push(problem);
      failed.add(chain);
    } else goodUpTo.set(chain, parsed.checkpoint.size);
  }
  return { checked: new Set(notes.map((n) => n.chain ?? n.note)).size, problems };
}
