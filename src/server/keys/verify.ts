import type { Db } from "../db/sql";
import { log } from "../log";
import { cacheGet, cacheSet, isEvicted, type VerifiedApiKey } from "./cache";
import { listenForRevocations } from "./revocation-listener";
import { hashApiKeySecret, parseApiKeySecret, type ApiKeyScope } from "./generate";

export type { VerifiedApiKey };

/** `last_used_at` is written at most this often per key (per process, and guarded in SQL). */
const LAST_USED_INTERVAL_MS = 60_000;
const lastTouched = new Map<string, number>();

async function touchLastUsed(db: Db, keyId: string, now: Date): Promise<void> {
  const previous = lastTouched.get(keyId);
  if (previous !== undefined && now.getTime() - previous < LAST_USED_INTERVAL_MS) return;
  lastTouched.set(keyId, now.getTime());
  try {
    await db.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '60 seconds')`,
      [keyId, now],
    );
  } catch (err) {
    lastTouched.delete(keyId);
    log.warn({ err, keyId }, "could not record API key last use");
  }
}

/**
 * Resolves a presented secret to its key, project and organisation, or null when the secret is
 * malformed, unknown or revoked. Valid keys are cached for a few seconds (see cache.ts).
 * `now` is injectable for tests of the last-used throttle.
 */
export async function verifyApiKey(db: Db, secret: string, options: { now?: Date } = {}): Promise<VerifiedApiKey | null> {
  if (!parseApiKeySecret(secret)) return null;
  listenForRevocations();
  const now = options.now ?? new Date();
  const secretHash = hashApiKeySecret(secret);
  let key = cacheGet(secretHash, now.getTime());
  if (!key) {
    const { rows } = await db.query<{ id: string; project_id: string; org_id: string; scope: ApiKeyScope; sees_spend: boolean }>(
      `SELECT k.id, k.project_id, p.org_id, k.scope, k.sees_spend
         FROM api_keys k JOIN projects p ON p.id = k.project_id
        WHERE k.secret_hash = $1 AND k.revoked_at IS NULL`,
      [secretHash],
    );
    const row = rows[0];
    if (!row || isEvicted(row.id)) return null;
    key = { keyId: row.id, projectId: row.project_id, orgId: row.org_id, scope: row.scope, seesSpend: row.sees_spend };
    cacheSet(secretHash, key, now.getTime());
  }
  await touchLastUsed(db, key.keyId, now);
  return key;
}
