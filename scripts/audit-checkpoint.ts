/**
 * npm run audit:checkpoint — signs a checkpoint of every audit chain now (the hourly job does the
 * same) and prints the public key that verifies them.
 */
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

resolveDatabaseUrlForCli();
const { pool } = await import("../src/server/db/pool");
const { auditSigningKey } = await import("../src/server/audit/signing-key");
const { checkpointChains } = await import("../src/server/audit/tree");
const { verifierKey } = await import("../src/server/audit/checkpoint");

try {
  const key = auditSigningKey();
  const { checkpointed } = await checkpointChains(pool, key);
  console.log(`✓ ${checkpointed} chain(s) checkpointed; verifier key: ${verifierKey(key.keyName, key.publicKey)}`);
} finally {
  await pool.end();
}
