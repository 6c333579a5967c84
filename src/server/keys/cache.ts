import type { ApiKeyScope } from "./generate";

export type VerifiedApiKey = { keyId: string; projectId: string; orgId: string; scope: ApiKeyScope };

/**
 * Positive cache for verified keys, keyed by secret hash, held for CACHE_TTL_MS (5 s) so a
 * busy ingest path does not query Postgres on every request. Only valid keys are cached
 * (unknown ones always reach the database, so a key works the moment it is created).
 * `revokeApiKey` evicts in this process at once; other processes stop accepting a revoked
 * key within CACHE_TTL_MS.
 */
export const CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { key: VerifiedApiKey; expiresAt: number }>();

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
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  entries.set(secretHash, { key, expiresAt: nowMs + CACHE_TTL_MS });
}

/** Drops every cached entry of one key (called on revoke). */
export function evictApiKey(keyId: string): void {
  for (const [hash, entry] of entries) if (entry.key.keyId === keyId) entries.delete(hash);
}

export function clearApiKeyCache(): void {
  entries.clear();
}
