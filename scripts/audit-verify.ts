/**
 * npm run audit:verify [-- --checkpoint <file>]
 * Recomputes every audit hash chain, then proves each chain's Merkle tree consistent with its
 * signed checkpoints (or with the checkpoint in <file>, kept outside this database). Exits 1
 * naming the chain and the first bad position.
 */
import { readFileSync } from "node:fs";
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

const url = resolveDatabaseUrlForCli();
const { verifyAuditLog } = await import("../src/server/audit/verify");
const { pool } = await import("../src/server/db/pool");
const { auditSigningKey } = await import("../src/server/audit/signing-key");
const { verifyChainsAgainstCheckpoints } = await import("../src/server/audit/tree");

const fileArg = process.argv.indexOf("--checkpoint");
const external = fileArg > 0 ? readFileSync(process.argv[fileArg + 1] ?? "", "utf8") : null;

try {
  const result = await verifyAuditLog(url);
  if (result.firstBreak) {
    const b = result.firstBreak;
    console.error(`✗ audit log broken at record id=${b.id} (chain ${b.chain}, seq ${b.seq}): ${b.reason}`);
    console.error(`  ${result.records} records verified before it, across ${result.chains} chain(s).`);
    process.exit(1);
  }
  console.log(`✓ hash chains intact: ${result.records} records in ${result.chains} chain(s).`);
  const proofs = await verifyChainsAgainstCheckpoints(pool, auditSigningKey(), external ? [external] : undefined);
  for (const p of proofs.problems) console.error(`✗ chain ${p.chain}${p.position ? `, position ${p.position}` : ""}: ${p.reason}`);
  if (proofs.problems.length) process.exit(1);
  console.log(`✓ consistent with ${external ? "the given checkpoint" : "the signed checkpoints"} of ${proofs.checked} chain(s).`);
} catch (error) {
  console.error(`audit:verify failed: ${(error as Error).message}`);
  process.exit(2);
} finally {
  await pool.end().catch(() => {});
}
