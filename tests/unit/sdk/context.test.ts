import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { currentTraceparent, init, logger, shutdown, withSpan, type LogRecord } from "@sightline/node";
import { loadOtel } from "../../../sdk/node/src/otel";
import { chatUsage, responsesUsage } from "../../../sdk/node/src/llm/openai";
import { anthropicUsage } from "../../../sdk/node/src/llm/anthropic";
import { clampUsage } from "../../../sdk/node/src/llm/call";

afterAll(async () => {
  await shutdown();
  logger.remove();
});

function records() {
  logger.remove();
  const got: LogRecord[] = [];
  logger.add((_l, r) => got.push(r), { level: "trace" });
  return got;
}

describe("trace context", () => {
  it("logs inside an active OpenTelemetry span carry its ids; the SDK's own scope wins inside withSpan", async () => {
    init({ console: false });
    await loadOtel();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = new BasicTracerProvider();
    const tracer = provider.getTracer("test");
    const got = records();
    await tracer.startActiveSpan("otel-op", async (span) => {
      logger.info("inside otel");
      expect(currentTraceparent()).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      await withSpan("mine", async () => logger.info("inside mine"));
      span.end();
      expect(got[0]).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      expect(got[1]!.traceId).toBe(span.spanContext().traceId);
      expect(got[1]!.spanId).not.toBe(span.spanContext().spanId);
    });
    logger.info("outside");
    expect(got[2]!.traceId).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe("LLM usage mapping (provider fields → the portal's token accounting)", () => {
  it("OpenAI chat and responses: prompt/input include cached, completion/output include reasoning", () => {
    expect(
      chatUsage({
        prompt_tokens: 100,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 60 },
        completion_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toEqual({ inputTokens: 100, cachedInputTokens: 60, cacheWriteTokens: 0, outputTokens: 50, reasoningTokens: 20 });
    expect(
      responsesUsage({ input_tokens: 10, output_tokens: 5, input_tokens_details: { cached_tokens: 4 }, output_tokens_details: { reasoning_tokens: 1 } }),
    ).toEqual({ inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 1 });
  });

  it("Anthropic: input_tokens excludes the cache, so cache reads and writes are added to it", () => {
    expect(anthropicUsage({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 7 })).toEqual({
      inputTokens: 125,
      cachedInputTokens: 100,
      cacheWriteTokens: 20,
      outputTokens: 7,
      reasoningTokens: 0,
    });
  });

  it("clamps what the portal would reject (parts larger than their whole, negatives)", () => {
    expect(clampUsage({ inputTokens: 10, cachedInputTokens: 8, cacheWriteTokens: 8, outputTokens: 3, reasoningTokens: 9 })).toEqual({
      inputTokens: 10,
      cachedInputTokens: 8,
      cacheWriteTokens: 2,
      outputTokens: 3,
      reasoningTokens: 3,
    });
    expect(clampUsage({ inputTokens: -1, cachedInputTokens: Number.NaN, cacheWriteTokens: 0, outputTokens: 2.7, reasoningTokens: 0 })).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 2,
      reasoningTokens: 0,
    });
  });
});
