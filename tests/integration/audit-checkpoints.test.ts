import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH, type ChainedRecord } from "@/server/audit/chain";
import { signingKeyFromSeed } from "@/server/audit/checkpoint";
import { checkpointChains, verifyChainsAgainstCheckpoints } from "@/server/audit/tree";
import { verifyAuditLog } from "@/server/audit/verify";
import { createTestDatabase } from "../../scripts/lib/test-database";

// A database of its own: these tests rewrite history on purpose.
const db = await createTestDatabase("auditproof");
const pool = new pg.Pool({ connectionString: db.url, max: 2 });
const stateDir = mkdtempSync(path.join(tmpdir(), "sightline-audit-key-"));
const seed = Buffer.alloc(32, 3);
writeFileSync(path.join(stateDir, "audit-signing-key"), seed.toString("base64"));
const key = { keyName: "sightline.local/audit", ...signingKeyFromSeed(seed) };
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const recordAt = (chain: string, seq: number, action: string): ChainedRecord => ({
  chain,
  seq: String(seq),
  orgId: chain,
  actorId: null,
  actorEmail: "proof@example.test",
  action,
  targetType: null,
  targetId: null,
  ip: null,
  userAgent: null,
  metadata: { n: seq },
  createdAt: new Date(Date.UTC(2026, 11, 1, 0, seq)).toISOString(),
});

/** Writes records `from..to` of `chain` (actions in `actions` override), chaining from the stored previous hash. */
async function writeChain(client: pg.PoolClient | pg.Pool, chain: string, from: number, to: number, actions: Record<number, string> = {}) {
  let prevHash =
    from === 1
      ? GENESIS_HASH
      : (await client.query<{ hash: string }>(`SELECT hash FROM audit_log WHERE chain = $1 AND seq = $2`, [chain, from - 1])).rows[0]!.hash;
  for (let seq = from; seq <= to; seq++) {
    const r = recordAt(chain, seq, actions[seq] ?? "settings.changed");
    const hash = chainHash(prevHash, r);
    await client.query(
      `INSERT INTO audit_log (chain, seq, org_id, actor_email, action, metadata, created_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [chain, seq, chain, r.actorEmail, r.action, JSON.stringify(r.metadata), r.createdAt, prevHash, hash],
    );
    prevHash = hash;
  }
}

/** As an attacker with the database's superuser would: triggers off, then `fn`. */
async function asSuperuser(fn: (client: pg.PoolClient) => Promise<void>) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await fn(client);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

const problemsOf = async (chain: string) => (await verifyChainsAgainstCheckpoints(pool, key)).problems.filter((p) => p.chain === chain);

describe("audit chains as Merkle trees with signed checkpoints", () => {
  const intact = randomUUID();
  beforeAll(async () => {
    await writeChain(pool, intact, 1, 6);
    expect(await checkpointChains(pool, key, { chains: [intact] })).toEqual({ checkpointed: 1 });
    await writeChain(pool, intact, 7, 9);
    expect(await checkpointChains(pool, key, { chains: [intact] })).toEqual({ checkpointed: 1 });
    expect(await checkpointChains(pool, key, { chains: [intact] })).toEqual({ checkpointed: 0 }); // nothing new
  });

  it("an intact chain that grew since its checkpoints is consistent with every one of them", async () => {
    await writeChain(pool, intact, 10, 11);
    expect(await problemsOf(intact)).toEqual([]);
  });

  it("entries deleted at the tail, which the hash chain cannot see, are caught with their position", async () => {
    const chain = randomUUID();
    await writeChain(pool, chain, 1, 8);
    await checkpointChains(pool, key, { chains: [chain] });
    await asSuperuser((c) => c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq > 5`, [chain]).then(() => undefined));
    expect((await verifyAuditLog(db.url)).firstBreak).toBeNull(); // the chain alone looks fine
    expect(await problemsOf(chain)).toEqual([
      { chain, position: 6, reason: expect.stringMatching(/covers 8 entries but the chain has 5: entries from position 6 were deleted/) },
    ]);
  });

  it("an entry rewritten with every later hash recomputed passes the hash chain but not the checkpoints, which bracket it", async () => {
    const chain = randomUUID();
    await writeChain(pool, chain, 1, 4);
    await checkpointChains(pool, key, { chains: [chain] });
    await writeChain(pool, chain, 5, 9);
    await checkpointChains(pool, key, { chains: [chain] });
    await asSuperuser(async (c) => {
      await c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq >= 6`, [chain]);
      await writeChain(c, chain, 6, 9, { 6: "member.removed" });
    });
    expect((await verifyAuditLog(db.url)).firstBreak).toBeNull();
    expect(await problemsOf(chain)).toEqual([
      { chain, position: null, reason: expect.stringMatching(/between positions 5 and 9 no longer match the signed checkpoint of size 9/) },
    ]);
  });

  it("an entry deleted in the middle and the rest renumbered is caught", async () => {
    const chain = randomUUID();
    await writeChain(pool, chain, 1, 6);
    await checkpointChains(pool, key, { chains: [chain] });
    await asSuperuser(async (c) => {
      await c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq >= 3`, [chain]);
      await writeChain(c, chain, 3, 5);
    });
    expect((await problemsOf(chain))[0]).toMatchObject({ chain, reason: expect.stringMatching(/covers 6 entries but the chain has 5/) });
  });

  it("a forged checkpoint (another key, or edited) is refused", async () => {
    const other = { keyName: key.keyName, ...signingKeyFromSeed(Buffer.alloc(32, 4)) };
    const { problems } = await verifyChainsAgainstCheckpoints(pool, other);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /checkpoint refused: no signature by sightline.local\/audit/.test(p.reason))).toBe(true);
  });

  it("npm run audit:verify -- --checkpoint <file> checks a checkpoint kept elsewhere, and exits 1 naming the chain", { timeout: 120_000 }, async () => {
    const { rows } = await pool.query<{ note: string }>(`SELECT note FROM audit_checkpoints WHERE chain = $1 ORDER BY tree_size DESC LIMIT 1`, [intact]);
    const file = path.join(stateDir, "checkpoint.txt");
    writeFileSync(file, rows[0]!.note);
    const run = (args: string[]) =>
      promisify(execFile)("npx", ["tsx", "scripts/audit-verify.ts", ...args], {
        env: { ...process.env, DATABASE_URL: db.url, AUDIT_SIGNING_KEY: seed.toString("base64"), NEXTAUTH_URL: "" },
        cwd: process.cwd(),
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    // The shared checkpoints above include tampered chains, so check the kept-elsewhere one alone.
    const ok = await run(["--checkpoint", file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/consistent with the given checkpoint/);
    await asSuperuser((c) => c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq = 11`, [intact]).then(() => undefined));
    await asSuperuser((c) => c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq = 10`, [intact]).then(() => undefined));
    await asSuperuser((c) => c.query(`DELETE FROM audit_log WHERE chain = $1 AND seq = 9`, [intact]).then(() => undefined));
    const broken = await run(["--checkpoint", file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`✗ chain ${intact}, position 9:`);
  });

  it("the append-only rule cannot be waived by the application's role, and covers TRUNCATE", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL sightline.allow_audit_tamper = 'on'"); // the switch older versions had
      await expect(client.query(`UPDATE audit_log SET action = 'x' WHERE chain = $1`, [intact])).rejects.toThrow(/audit_log is append-only/);
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      await expect(client.query(`TRUNCATE audit_log`)).rejects.toThrow(/audit_log is append-only/);
      await client.query("ROLLBACK");
      await expect(client.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/audit_checkpoints is append-only/);
    } finally {
      client.release();
    }
  });
});
