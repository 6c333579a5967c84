import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

const API_KEY_SCOPES = ["ingest", "read"] as const;
export const ZApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ZApiKeyScope>;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Random characters after the `sl_<scope>_` head: 40 base62 characters ≈ 238 bits. */
const API_KEY_RANDOM_LENGTH = 40;
/** How many random characters the listed prefix shows (after the head). */
const API_KEY_PREFIX_RANDOM_CHARS = 12;

const SECRET_PATTERN = /^sl_(ingest|read)_([0-9A-Za-z]{32,64})$/;

export type GeneratedApiKey = { secret: string; prefix: string; secretHash: string };

/** Uniform base62 characters from crypto randomness (rejection sampling, no modulo bias). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** SHA-256 hex of the whole secret: the only form in which a key is stored. */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** `{ scope, random }` when `secret` has the shape of a Sightline key, else null (no lookup needed). */
export function parseApiKeySecret(secret: string): { scope: ApiKeyScope; random: string } | null {
  const match = SECRET_PATTERN.exec(secret);
  return match ? { scope: match[1] as ApiKeyScope, random: match[2]! } : null;
}

/** Builds the key from a given random part (used by `generateApiKey` and the deterministic demo seed). */
export function apiKeyFromRandom(scope: ApiKeyScope, random: string): GeneratedApiKey {
  const head = `sl_${scope}_`;
  const secret = head + random;
  if (!parseApiKeySecret(secret)) throw new Error("API key random part must be 32–64 base62 characters");
  return { secret, prefix: head + random.slice(0, API_KEY_PREFIX_RANDOM_CHARS), secretHash: hashApiKeySecret(secret) };
}

/**
 * A new key `sl_<scope>_<40 base62>`: the secret is shown once, the prefix is what lists
 * show, and only `secretHash` is stored.
 */
export function generateApiKey(scope: ApiKeyScope): GeneratedApiKey {
  return apiKeyFromRandom(scope, randomBase62(API_KEY_RANDOM_LENGTH));
}

/** Deterministic base62 text from a seed string (SHA-256 counter stream) — for the demo seed only. */
export function base62FromSeed(seed: string, length = API_KEY_RANDOM_LENGTH): string {
  let out = "";
  for (let counter = 0; out.length < length; counter++) {
    for (const byte of createHash("sha256").update(`${seed}:${counter}`).digest()) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
