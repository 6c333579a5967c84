import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flush, logger, wrapAnthropic, wrapOpenAI } from "@sightline/node";
import { ANTHROPIC_USAGE, OPENAI_USAGE, startFakeLlmProviders } from "../../fakes/llm-providers";
import { flushAndStop, initSdk, rows, startPortal, waitFor } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;
let fake: Awaited<ReturnType<typeof startFakeLlmProviders>>;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  portal = await startPortal();
  fake = await startFakeLlmProviders();
  initSdk(portal.baseUrl, portal.key, { service: "llm-app" });
  const raw = new OpenAI({ apiKey: "sk-test-not-real", baseURL: `${fake.baseUrl}/v1`, maxRetries: 0 });
  openai = wrapOpenAI(raw, { includeUsage: true });
  expect(openai).toBe(raw);
  anthropic = wrapAnthropic(new Anthropic({ apiKey: "sk-ant-test", baseURL: fake.baseUrl, maxRetries: 0 }), { capturePayloads: true });
});

afterAll(async () => {
  await flushAndStop();
  await fake.close();
  await portal.close();
});

type Call = Record<string, any>;
const calls = (feature: string) =>
  waitFor(
    () => rows<Call>(`SELECT * FROM llm_calls WHERE project_id = $1 AND feature = $2 ORDER BY time, id`, [portal.projectId, feature]),
    (r) => r.length > 0,
  );

// gpt-4o-mini: 0.15 in / 0.075 cached / 0.60 out per 1M; 200 plain + 1000 cached in, 300 out (100 reasoning at the output rate).
const OPENAI_COST = ((OPENAI_USAGE.prompt - OPENAI_USAGE.cached) * 0.15 + OPENAI_USAGE.cached * 0.075 + OPENAI_USAGE.completion * 0.6) / 1e6;
// claude-sonnet-4: 3 in / 0.30 cache read / 3.75 cache write / 15 out per 1M.
const ANTHROPIC_COST = (ANTHROPIC_USAGE.input * 3 + ANTHROPIC_USAGE.cacheRead * 0.3 + ANTHROPIC_USAGE.cacheWrite * 3.75 + ANTHROPIC_USAGE.output * 15) / 1e6;

describe("wrapOpenAI with the real openai client → the real portal", () => {
  it("chat completions, streamed and not, are priced exactly with cached and reasoning tokens", async () => {
    await logger.contextualize({ feature: "oa-chat", userId: "user-1" }, async () => {
      const done = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
      expect(done.choices[0]!.message.content).toBe("Hello from the fake.");
      const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe("Hello streamed");
    });
    const streamed = fake.requests.filter((r) => r.path === "/v1/chat/completions" && r.body.stream);
    expect(streamed[0]!.body.stream_options).toEqual({ include_usage: true });
    await flush();
    const rowsFound = await waitFor(
      () => calls("oa-chat"),
      (r) => r.length === 2,
    );
    expect(rowsFound).toHaveLength(2);
    for (const c of rowsFound) {
      expect(c).toMatchObject({
        provider: "openai",
        model: "gpt-4o-mini-2024-07-18",
        operation: "chat",
        status: "ok",
        user_id: "user-1",
        cost_source: "table",
        input_tokens: OPENAI_USAGE.prompt,
        cached_input_tokens: OPENAI_USAGE.cached,
        output_tokens: OPENAI_USAGE.completion,
        reasoning_tokens: OPENAI_USAGE.reasoning,
        prompt: null,
        completion: null,
      });
      expect(Number(c.cost_usd)).toBeCloseTo(OPENAI_COST, 12);
      expect(c.attributes).toMatchObject({
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.cache_read.input_tokens": OPENAI_USAGE.cached,
      });
    }
    expect(rowsFound[0]!.ttft_ms).toBeNull();
    expect(rowsFound[1]!.ttft_ms).toBeGreaterThan(0);
    expect(rowsFound[1]!.ttft_ms).toBeLessThan(rowsFound[1]!.latency_ms);
    const spans = await rows<Call>(`SELECT * FROM spans WHERE project_id = $1 AND span_id = ANY($2)`, [portal.projectId, rowsFound.map((c) => c.span_id)]);
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ["chat gpt-4o-mini-2024-07-18", "client"],
      ["chat gpt-4o-mini-2024-07-18", "client"],
    ]);
  });

  it("responses and embeddings, and a failed call with its error type", async () => {
    await logger.contextualize({ feature: "oa-misc" }, async () => {
      const r = await openai.responses.create({ model: "gpt-4o-mini", input: "hi" });
      expect(r.output_text).toBe("Responses hello.");
      const s = await openai.responses.create({ model: "gpt-4o-mini", input: "hi", stream: true });
      for await (const _ of s) void _;
      await openai.embeddings.create({ model: "text-embedding-3-small", input: "hello" });
      await expect(openai.chat.completions.create({ model: "fail-model", messages: [{ role: "user", content: "x" }] })).rejects.toThrow();
    });
    await flush();
    const found = await waitFor(
      () => calls("oa-misc"),
      (r) => r.length === 4,
    );
    expect(found.map((c) => [c.model, c.operation, c.status])).toEqual([
      ["gpt-4o-mini-2024-07-18", "chat", "ok"],
      ["gpt-4o-mini-2024-07-18", "chat", "ok"],
      ["text-embedding-3-small", "embeddings", "ok"],
      ["fail-model", "chat", "error"],
    ]);
    for (const c of found.slice(0, 2)) expect(Number(c.cost_usd)).toBeCloseTo(OPENAI_COST, 12);
    expect(found[1]!.ttft_ms).toBeGreaterThan(0);
    expect(found[2]).toMatchObject({ input_tokens: 8, output_tokens: 0 });
    expect(Number(found[2]!.cost_usd)).toBeCloseTo((8 * 0.02) / 1e6, 12);
    expect(found[3]!.error_type).toMatch(/InternalServerError \(500\)/);
  });
});

describe("wrapAnthropic with the real @anthropic-ai/sdk client → the real portal", () => {
  it("messages, streamed and not and through messages.stream(), priced with cache reads and writes; payloads on opt-in", async () => {
    await logger.contextualize({ feature: "claude" }, async () => {
      const m = await anthropic.messages.create({ model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "hello" }] });
      expect(m.content[0]!.type).toBe("text");
      const stream = await anthropic.messages.create({
        model: "claude-sonnet-4-20250514",
        max_tokens: 100,
        stream: true,
        messages: [{ role: "user", content: "hello" }],
      });
      for await (const _ of stream) void _;
      const helper = anthropic.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 100, messages: [{ role: "user", content: "hello" }] });
      expect(await helper.finalText()).toBe("Claude streams.");
    });
    await flush();
    const found = await waitFor(
      () => calls("claude"),
      (r) => r.length === 3,
    );
    expect(found).toHaveLength(3);
    for (const c of found) {
      expect(c).toMatchObject({
        provider: "anthropic",
        model: "claude-sonnet-4-20250514",
        status: "ok",
        cost_source: "table",
        input_tokens: ANTHROPIC_USAGE.input + ANTHROPIC_USAGE.cacheRead + ANTHROPIC_USAGE.cacheWrite,
        cached_input_tokens: ANTHROPIC_USAGE.cacheRead,
        cache_write_tokens: ANTHROPIC_USAGE.cacheWrite,
        output_tokens: ANTHROPIC_USAGE.output,
      });
      expect(Number(c.cost_usd)).toBeCloseTo(ANTHROPIC_COST, 12);
      expect(JSON.parse(c.prompt)).toEqual([{ role: "user", content: "hello" }]);
    }
    expect(found[0]!.completion).toBe("Claude fake says hi.");
    expect(found[1]!.completion).toBe("Claude streams.");
    expect(found[1]!.ttft_ms).toBeGreaterThan(0);
  });
});
