import { describe, expect, it } from "vitest";
import { computeCost } from "@/server/llm/cost";
import { priceLlmCall } from "@/server/llm/price-call";
import { compilePricePattern, matchPrice, type PriceEntry } from "@/server/llm/match";

const usage = (u: Partial<Parameters<typeof computeCost>[0]>) => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...u,
});
const rates = { inputPer1m: "2.5", cachedInputPer1m: "1.25", cacheWritePer1m: null, outputPer1m: "10", reasoningPer1m: null };

describe("computeCost", () => {
  it("bills cached input at its own rate, inside input tokens, never twice", () => {
    expect(computeCost(usage({ inputTokens: 1000, cachedInputTokens: 400 }), rates)).toBe("0.0020000000");
  });
  it("bills reasoning inside output at the output rate when no reasoning rate is set", () => {
    expect(computeCost(usage({ outputTokens: 500, reasoningTokens: 100 }), rates)).toBe("0.0050000000");
    expect(computeCost(usage({ outputTokens: 500, reasoningTokens: 100 }), { ...rates, reasoningPer1m: "20" })).toBe("0.0060000000");
  });
  it("bills cache writes at their rate, falling back to the input rate", () => {
    expect(computeCost(usage({ inputTokens: 1000, cacheWriteTokens: 1000 }), { ...rates, cacheWritePer1m: "3.125" })).toBe("0.0031250000");
    expect(computeCost(usage({ inputTokens: 1000, cacheWriteTokens: 1000 }), rates)).toBe("0.0025000000");
  });
  it("is exact for tiny and huge counts", () => {
    expect(computeCost(usage({ inputTokens: 1 }), { ...rates, inputPer1m: "0.075" })).toBe("0.0000000750");
    expect(computeCost(usage({ inputTokens: 2_000_000_000, outputTokens: 2_000_000_000 }), rates)).toBe("25000.0000000000");
  });
});

const entry = (e: Partial<Omit<PriceEntry, "effectiveFrom">> & { matchPattern: string; effectiveFrom: string }): PriceEntry => ({
  id: e.id ?? e.matchPattern + e.effectiveFrom,
  projectId: e.projectId ?? null,
  provider: "openai",
  model: "m",
  version: 1,
  inputPer1m: e.inputPer1m ?? "1",
  cachedInputPer1m: null,
  cacheWritePer1m: null,
  outputPer1m: "1",
  reasoningPer1m: null,
  matchPattern: e.matchPattern,
  effectiveFrom: new Date(e.effectiveFrom),
  regex: compilePricePattern(e.matchPattern),
});

describe("matchPrice", () => {
  const table = [
    entry({ id: "4o", matchPattern: "^(openai/)?gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$", effectiveFrom: "2024-08-06" }),
    entry({ id: "4o-old", matchPattern: "^(openai/)?gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$", effectiveFrom: "2024-05-13" }),
    entry({ id: "mini", matchPattern: "^gpt-4o-mini$", effectiveFrom: "2024-07-18" }),
    entry({ id: "own", projectId: "p", matchPattern: "(?i)^GPT-4O-MINI$", effectiveFrom: "2025-01-01" }),
  ];
  it("resolves dated variants and provider prefixes, case-insensitively", () => {
    expect(matchPrice(table, { model: "gpt-4o-2024-11-20", at: new Date("2025-01-01") })?.id).toBe("4o");
    expect(matchPrice(table, { model: "GPT-4o", provider: "openai", at: new Date("2025-01-01") })?.id).toBe("4o");
    expect(matchPrice(table, { model: "gpt-4o-realtime", at: new Date("2025-01-01") })).toBeNull();
  });
  it("takes the newest entry effective at the call's time", () => {
    expect(matchPrice(table, { model: "gpt-4o", at: new Date("2024-06-01") })?.id).toBe("4o-old");
    expect(matchPrice(table, { model: "gpt-4o", at: new Date("2020-01-01") })?.id).toBe("4o-old");
  });
  it("lets a project override beat the built-in from its effective date", () => {
    expect(matchPrice(table, { model: "gpt-4o-mini", at: new Date("2025-06-01") })?.id).toBe("own");
    expect(matchPrice(table, { model: "gpt-4o-mini", at: new Date("2024-12-01") })?.id).toBe("mini");
  });
  it("client-sent cost beats the table; unknown models stay unpriced", () => {
    expect(priceLlmCall(table, { ...usage({ inputTokens: 5 }), model: "gpt-4o", at: new Date(), costUsd: 0.25 })).toEqual({
      costUsd: "0.2500000000",
      costSource: "client",
      priceId: null,
      priceVersion: null,
    });
    expect(priceLlmCall(table, { ...usage({}), model: "nope", at: new Date() }).costSource).toBe("none");
  });
});
