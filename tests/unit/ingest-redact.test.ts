import { describe, expect, it } from "vitest";
import { compileRedactionRules, isDefaultSensitiveKey, redactCardNumbers, redactEvent } from "@/server/ingest/redact";
import { attributeProblem, ZIngestEvent } from "@/server/ingest/schemas";

describe("redaction", () => {
  it("knows sensitive keys but leaves token counts alone", () => {
    for (const k of ["Authorization", "cookie", "Set-Cookie", "password", "db_password", "client_secret", "apiKey", "X-API-Key", "access_token", "sessionId"]) {
      expect(isDefaultSensitiveKey(k), k).toBe(true);
    }
    for (const k of ["inputTokens", "gen_ai.usage.output_tokens", "name", "accept", "author"]) expect(isDefaultSensitiveKey(k), k).toBe(false);
  });
  it("redacts Luhn-valid card numbers only", () => {
    expect(redactCardNumbers("4111-1111-1111-1111 and 4111 1111 1111 1112")).toBe("[REDACTED] and 4111 1111 1111 1112");
    expect(redactCardNumbers("order 2026112703000000")).toBe("order 2026112703000000");
  });
  it("walks any depth without recursion, strips NUL characters and records it", () => {
    let deep: Record<string, unknown> = { password: "x" };
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    const event: Record<string, unknown> = { type: "log", message: "a\u0000b", attributes: deep };
    expect(redactEvent(event, compileRedactionRules([]))).toEqual(["default:sensitive-key", "sanitized:unstorable-characters"]);
    expect(event.message).toBe("ab");
    let cursor = event.attributes as Record<string, unknown>;
    while (cursor.n) cursor = cursor.n as Record<string, unknown>;
    expect(cursor.password).toBe("[REDACTED]");
  });
  it("never rewrites ids and times", () => {
    const event: Record<string, unknown> = { type: "span", traceId: "4111111111111111", id: "4111111111111111" };
    redactEvent(event, compileRedactionRules([]));
    expect(event).toEqual({ type: "span", traceId: "4111111111111111", id: "4111111111111111" });
  });
});

describe("schema limits", () => {
  it("refuses attributes that are too deep, too wide or too big", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(attributeProblem({ a: deep })).toMatch(/deeper/);
    expect(attributeProblem(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])))).toMatch(/keys/);
    expect(attributeProblem({ a: "x".repeat(70_000) })).toMatch(/larger/);
    expect(attributeProblem({ a: { b: [1, "two", { c: null }] } })).toBeNull();
  });
  it("applies defaults and strips unknown fields", () => {
    const parsed = ZIngestEvent.parse({ type: "llm", model: "gpt-4o", surprise: true });
    expect(parsed).toMatchObject({ operation: "chat", inputTokens: 0, status: "ok" });
    expect(parsed).not.toHaveProperty("surprise");
  });
});
