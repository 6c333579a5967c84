import type { ApiKeyScope } from "./generate";

/** `seesSpend`: whether reads with this key include LLM spend (its creator's spend:read at creation). */
export type VerifiedApiKey = { keyId: string; projectId: string; orgId: string; scope: ApiKeyScope; seesSpend: boolean };

/**
 * Positive cache for verified keys, keyed by secret hash, held for CACHE_TTL_MS (5 s) so a
 * busy ingest path does not query Postgres on every request. Only valid keys are cached
 * (unknown ones always reach the database, so a key works the moment it is created).
 * Revocation evicts in the revoking process before `revokeApiKey` returns, and in every other
 * process when Postgres delivers the revocation's NOTIFY (revocation-listener.ts); CACHE_TTL_MS
 * bounds it only while a process's listening connection is down.
 */
export const CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { key: VerifiedApiKey; expiresAt: number }>();
/**
 * Ids evicted as revoked or deleted. A lookup that read the key before the revocation committed
 * may finish after the eviction: it must not cache the key again. Revocation is final, so
 * remembering the most recent ids is enough.
 */
const revoked = new Set<string>();

export function cacheGet(secretHash: string, nowMs: number): VerifiedApiKey | null {
  const entry = entries.get(secretHash);
  if (!entry) return null;
  if (entry.expiresAt <= nowMs) {
    entries.delete(secretHash);
    return null;
  }
  return entry.key;
}

export function cacheSet(secretHash: string, key: VerifiedApiKey, nowMs: number): void {
  if (revoked.has(key.keyId)) return;
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  entries.set(secretHash, { key, expiresAt: nowMs + CACHE_TTL_MS });
}

/** Whether `keyId` was revoked or deleted while this process ran (a lookup in flight then must not accept it). */
export const isEvicted = (keyId: string) => revoked.has(keyId);

/** Drops every cached entry of one key, for good (called on revoke, and on delete of its project). */
export function evictApiKey(keyId: string): void {
  revoked.add(keyId);
  if (revoked.size > MAX_ENTRIES) revoked.delete(revoked.values().next().value!);
  for (const [hash, entry] of entries) if (entry.key.keyId === keyId) entries.delete(hash);
}

export function clearApiKeyCache(): void {
  entries.clear();
}
