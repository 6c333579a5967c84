import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiKeyFromRandom, base62FromSeed, generateApiKey, hashApiKeySecret, parseApiKeySecret } from "@/server/keys/generate";

describe("generateApiKey", () => {
  it.each(["ingest", "read"] as const)("makes sl_%s_ keys with 40 base62 characters, a listed prefix and a SHA-256 hash", (scope) => {
    const key = generateApiKey(scope);
    expect(key.secret).toMatch(new RegExp(`^sl_${scope}_[0-9A-Za-z]{40}$`));
    expect(key.prefix).toBe(key.secret.slice(0, `sl_${scope}_`.length + 12));
    expect(key.secretHash).toBe(createHash("sha256").update(key.secret).digest("hex"));
    expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseApiKeySecret(key.secret)).toEqual({ scope, random: key.secret.slice(`sl_${scope}_`.length) });
  });

  it("never repeats and uses the whole base62 alphabet", () => {
    const secrets = Array.from({ length: 500 }, () => generateApiKey("ingest").secret);
    expect(new Set(secrets).size).toBe(500);
    const chars = new Set(
      secrets
        .join("")
        .replace(/^sl_ingest_/gm, "")
        .split(""),
    );
    expect(chars.size).toBeGreaterThanOrEqual(62);
  });

  it("hashes the whole secret, so two keys sharing a prefix hash differently", () => {
    const a = apiKeyFromRandom("read", "A".repeat(12) + "b".repeat(28));
    const b = apiKeyFromRandom("read", "A".repeat(12) + "c".repeat(28));
    expect(a.prefix).toBe(b.prefix);
    expect(a.secretHash).not.toBe(b.secretHash);
    expect(hashApiKeySecret(a.secret)).toBe(a.secretHash);
  });

  it("rejects malformed secrets before any lookup", () => {
    for (const bad of ["", "sl_ingest_short", "sl_admin_" + "a".repeat(40), "sk_ingest_" + "a".repeat(40), "sl_read_" + "a".repeat(39) + "!"]) {
      expect(parseApiKeySecret(bad), bad).toBeNull();
    }
    expect(() => apiKeyFromRandom("read", "tooshort")).toThrow(/32–64/);
  });

  it("derives the same demo key from the same seed and different ones from different seeds", () => {
    expect(base62FromSeed("demo:ingest")).toBe(base62FromSeed("demo:ingest"));
    expect(base62FromSeed("demo:ingest")).not.toBe(base62FromSeed("demo:read"));
    expect(base62FromSeed("x")).toMatch(/^[0-9A-Za-z]{40}$/);
  });
});
