import pg from "pg";
import { chainHash, GENESIS_HASH, type ChainedRecord } from "./chain";

type ChainBreak = { id: string; chain: string; seq: string; reason: string };
type VerifyResult = { chains: number; records: number; firstBreak: ChainBreak | null };

type Row = {
  id: string;
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
  prev_hash: string;
  hash: string;
};

/**
 * Recomputes every chain in order and names the first record that does not fit: a changed
 * field (hash mismatch), a removed or reordered record (seq gap / prev_hash mismatch).
 */
export async function verifyAuditLog(connectionString: string): Promise<VerifyResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const cursorName = "audit_verify";
    await client.query("BEGIN");
    // Ordered by the table's bigint seq (qualified): a bare `seq` would mean the text alias below.
    await client.query(
      `DECLARE ${cursorName} NO SCROLL CURSOR FOR
       SELECT id::text, chain, seq::text, org_id, actor_id, actor_email, action, target_type, target_id,
              ip, user_agent, metadata, created_at, prev_hash, hash
         FROM audit_log ORDER BY audit_log.chain, audit_log.seq`,
    );
    let chains = 0;
    let records = 0;
    let currentChain: string | null = null;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1n;
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH 1000 FROM ${cursorName}`);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.chain !== currentChain) {
          currentChain = row.chain;
          prevHash = GENESIS_HASH;
          expectedSeq = 1n;
          chains += 1;
        }
        const at = { id: row.id, chain: row.chain, seq: row.seq };
        if (BigInt(row.seq) !== expectedSeq) {
          return { chains, records, firstBreak: { ...at, reason: `expected seq ${expectedSeq}: a record is missing` } };
        }
        if (row.prev_hash !== prevHash) {
          return { chains, records, firstBreak: { ...at, reason: "prev_hash does not match the previous record's hash" } };
        }
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
        if (chainHash(prevHash, record) !== row.hash) {
          return { chains, records, firstBreak: { ...at, reason: "contents changed: hash does not match" } };
        }
        prevHash = row.hash;
        expectedSeq += 1n;
        records += 1;
      }
    }
    await client.query("COMMIT");
    return { chains, records, firstBreak: null };
  } finally {
    await client.end();
  }
}
