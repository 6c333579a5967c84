/**
 * OpenTelemetry GenAI semantic conventions → an `llm` ingest event. Reads the current attribute
 * names and the deprecated ones they replaced (`gen_ai.system`, `gen_ai.usage.prompt_tokens`,
 * `gen_ai.usage.completion_tokens`, `gen_ai.prompt`/`gen_ai.completion`).
 */
import { MAX_LLM_TEXT_LENGTH, type IngestEventInput } from "../schemas";
import { fitAttributes } from "./context";
import { firstCount, firstNumber, firstString, type Json } from "./values";

type LlmInput = Extract<IngestEventInput, { type: "llm" }>;

/** Message content attributes: moved to `prompt`/`completion`, not repeated in the call's attributes. */
const TEXT_KEYS = ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion"];

/** The model a span names: the response model (dated, exact) before the requested one. */
function genAiModel(attrs: Record<string, Json>): string | undefined {
  return firstString(attrs, "gen_ai.response.model", "gen_ai.request.model");
}

function text(attrs: Record<string, Json>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = attrs[key];
    if (v === undefined || v === null || v === "") continue;
    const s = typeof v === "string" ? v : JSON.stringify(v);
    return s.length > MAX_LLM_TEXT_LENGTH ? s.slice(0, MAX_LLM_TEXT_LENGTH) : s;
  }
  return undefined;
}

/**
 * Token counts as the ingest schema defines them (OTel convention: cache reads and cache writes
 * are INSIDE input tokens, reasoning tokens INSIDE output tokens). Some instrumentations report
 * Anthropic-style usage where input excludes the cache, or reasoning outside output; when the parts
 * exceed the whole, the whole is taken to exclude them and they are added, so nothing is rejected
 * or double counted.
 */
export function genAiTokens(attrs: Record<string, Json>) {
  const cachedInputTokens = firstCount(attrs, "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens") ?? 0;
  const cacheWriteTokens = firstCount(attrs, "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens") ?? 0;
  const reasoningTokens = firstCount(attrs, "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens") ?? 0;
  let inputTokens = firstCount(attrs, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens") ?? 0;
  let outputTokens = firstCount(attrs, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens") ?? 0;
  if (cachedInputTokens + cacheWriteTokens > inputTokens) inputTokens += cachedInputTokens + cacheWriteTokens;
  if (reasoningTokens > outputTokens) outputTokens += reasoningTokens;
  return { inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens };
}

/** Builds the `llm` event of a GenAI span, or null when the span names no model. */
export function genAiLlmEvent(options: {
  attrs: Record<string, Json>;
  spanName: string;
  failed: boolean;
  latencyMs: number | undefined;
  base: Omit<LlmInput, "type" | "model">;
}): LlmInput | null {
  const { attrs, base } = options;
  const model = genAiModel(attrs);
  if (!model) return null;
  const errorType = firstString(attrs, "error.type");
  const failed = options.failed || errorType !== undefined;
  const operation = firstString(attrs, "gen_ai.operation.name") ?? options.spanName.split(" ")[0] ?? "chat";
  const provider = firstString(attrs, "gen_ai.provider.name", "gen_ai.system");
  const costUsd = firstNumber(attrs, "gen_ai.usage.cost");
  const userId = firstString(attrs, "user.id", "enduser.id");
  const feature = firstString(attrs, "sightline.feature");
  const prompt = text(attrs, "gen_ai.input.messages", "gen_ai.prompt");
  const completion = text(attrs, "gen_ai.output.messages", "gen_ai.completion");
  const rest = fitAttributes(Object.fromEntries(Object.entries(attrs).filter(([k]) => k.startsWith("gen_ai.") && !TEXT_KEYS.includes(k))));
  return {
    ...base,
    type: "llm",
    model: model.slice(0, 256),
    operation: operation.slice(0, 64) || "chat",
    ...(provider ? { provider: provider.slice(0, 256) } : {}),
    ...genAiTokens(attrs),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    status: failed ? "error" : "ok",
    ...(errorType ? { errorType: errorType.slice(0, 256) } : {}),
    ...(costUsd !== undefined && costUsd >= 0 ? { costUsd } : {}),
    ...(userId ? { userId: userId.slice(0, 256) } : {}),
    ...(feature ? { feature: feature.slice(0, 256) } : {}),
    ...(prompt ? { prompt } : {}),
    ...(completion ? { completion } : {}),
    ...(rest ? { attributes: rest } : {}),
  };
}
