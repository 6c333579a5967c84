/**
 * `wrapAnthropic(new Anthropic())`: the same client, with `messages.create` (and so
 * `messages.stream`, which calls it) recorded, streamed and not, also under `beta.messages`.
 * Anthropic's `input_tokens` EXCLUDES cache reads and writes; the portal's input includes them,
 * so input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens. Streams give
 * input and cache tokens in `message_start` and cumulative output tokens in `message_delta`.
 */
import type { LlmCall, CallStart, Usage, WrapOptions } from "./call.js";
import { observeStream } from "./call.js";
import { patchCreate } from "./openai.js";

type AnyRecord = Record<string, any>;

export function anthropicUsage(u: AnyRecord | undefined | null): Usage | undefined {
  if (!u) return undefined;
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const cacheWrite = u.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (u.input_tokens ?? 0) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: u.output_tokens ?? 0,
    reasoningTokens: 0,
  };
}

function messageText(m: AnyRecord | undefined): string | undefined {
  const content = m?.content as AnyRecord[] | undefined;
  return content?.filter((b) => b.type === "text").map((b) => b.text).join("");
}

function observe(call: LlmCall, start: CallStart, result: unknown): void {
  const r = result as AnyRecord;
  if (!start.stream) {
    call.finish({ responseModel: r?.model, responseId: r?.id, usage: anthropicUsage(r?.usage), completion: messageText(r), finishReasons: r?.stop_reason ? [r.stop_reason] : undefined });
    return;
  }
  let model: string | undefined;
  let id: string | undefined;
  let usage: AnyRecord = {};
  let completion = "";
  let stop: string | undefined;
  observeStream(r as never, (event) => {
    const e = event as AnyRecord;
    switch (e.type) {
      case "message_start":
        model = e.message?.model;
        id = e.message?.id;
        usage = { ...e.message?.usage };
        break;
      case "content_block_delta":
        call.firstToken();
        if (e.delta?.type === "text_delta") completion += e.delta.text ?? "";
        break;
      case "message_delta":
        // Cumulative counts: later values replace earlier ones.
        for (const [k, v] of Object.entries((e.usage ?? {}) as AnyRecord)) if (typeof v === "number") usage[k] = v;
        stop = e.delta?.stop_reason ?? stop;
        break;
    }
  }, (error) => call.finish({ responseModel: model, responseId: id, usage: anthropicUsage(usage), completion, finishReasons: stop ? [stop] : undefined, error }));
}

export function wrapAnthropic<T extends object>(client: T, options: WrapOptions = {}): T {
  const c = client as AnyRecord;
  const describe = (p: AnyRecord): CallStart => ({
    provider: "anthropic", operation: "chat", api: "messages", requestModel: String(p.model ?? ""), stream: p.stream === true, params: p,
    prompt: p.system ? { system: p.system, messages: p.messages } : p.messages,
  });
  patchCreate(c.messages, options, describe, observe);
  patchCreate(c.beta?.messages, options, describe, observe);
  return client;
}
