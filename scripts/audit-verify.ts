/**
 * npm run audit:verify
 * Recomputes every audit hash chain; exits 1 naming the first broken record.
 */
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";
import { verifyAuditLog } from "../src/server/audit/verify";

try {
  const result = await verifyAuditLog(resolveDatabaseUrlForCli());
  if (result.firstBreak) {
    const b = result.firstBreak;
    console.error(`✗ audit log broken at record id=${b.id} (chain ${b.chain}, seq ${b.seq}): ${b.reason}`);
    console.error(`  ${result.records} records verified before it, across ${result.chains} chain(s).`);
    process.exit(1);
  }
  console.log(`✓ audit log intact: ${result.records} records in ${result.chains} chain(s).`);
} catch (error) {
  console.error(`audit:verify failed: ${(error as Error).message}`);
  process.exit(2);
}
