/**
 * `wrapOpenAI(new OpenAI())`: the same client, with `chat.completions.create`,
 * `responses.create` and `embeddings.create` recorded (streamed and not). Usage as OpenAI
 * reports it: prompt tokens include cached ones, completion tokens include reasoning ones.
 * `includeUsage: true` adds `stream_options.include_usage` to streamed chat calls so they are
 * priced exactly (OpenAI then sends usage in a last chunk with no choices).
 */
import { LlmCall, observeStream, watchPromise, type CallStart, type Usage, type WrapOptions } from "./call.js";

export type OpenAIWrapOptions = WrapOptions & { includeUsage?: boolean };

type AnyRecord = Record<string | symbol, any>;
const WRAPPED = Symbol.for("sightline.wrapped");

export function chatUsage(u: AnyRecord | undefined | null): Usage | undefined {
  if (!u) return undefined;
  return {
    inputTokens: u.prompt_tokens ?? 0,
    cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: u.completion_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function responsesUsage(u: AnyRecord | undefined | null): Usage | undefined {
  if (!u) return undefined;
  return {
    inputTokens: u.input_tokens ?? 0,
    cachedInputTokens: u.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: u.output_tokens ?? 0,
    reasoningTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

type Method = (params: AnyRecord, options?: unknown) => unknown;

export function patchCreate(resource: AnyRecord | undefined, wrapOptions: WrapOptions, describe: (params: AnyRecord) => CallStart, observe: (call: LlmCall, start: CallStart, result: unknown) => void): void {
  if (!resource || typeof resource.create !== "function" || (resource.create as AnyRecord)[WRAPPED]) return;
  const original = (resource.create as Method).bind(resource);
  const wrapped: Method = (params, requestOptions) => {
    let start: CallStart;
    let call: LlmCall;
    try {
      start = describe(params);
      call = new LlmCall(start, wrapOptions);
    } catch {
      return original(params, requestOptions);
    }
    const sendParams = start.params;
    const promise = call.run(() => original(sendParams, requestOptions));
    return watchPromise(promise, (result) => observe(call, start, result), (error) => call.finish({ error }));
  };
  (wrapped as AnyRecord)[WRAPPED] = true;
  resource.create = wrapped;
}

function chatCompletionText(r: AnyRecord): string | undefined {
  const choices = r.choices as AnyRecord[] | undefined;
  return choices?.map((c) => c.message?.content ?? "").join("\n");
}

export function wrapOpenAI<T extends object>(client: T, options: OpenAIWrapOptions = {}): T {
  const c = client as AnyRecord;
  const base = (p: AnyRecord, operation: CallStart["operation"], api: string, prompt: unknown): CallStart => ({
    provider: "openai", operation, api, requestModel: String(p.model ?? ""), stream: p.stream === true, params: p, prompt,
  });

  patchCreate(c.chat?.completions, options, (params) => {
    let p = params;
    if (options.includeUsage && p.stream === true && !p.stream_options?.include_usage) p = { ...p, stream_options: { ...p.stream_options, include_usage: true } };
    return base(p, "chat", "chat.completions", p.messages);
  }, (call, start, result) => observeChat(call, start, result as AnyRecord));

  patchCreate(c.responses, options, (p) => base(p, "chat", "responses", p.input ?? p.instructions), (call, start, result) => observeResponses(call, start, result as AnyRecord));

  patchCreate(c.embeddings, options, (p) => base(p, "embeddings", "embeddings", p.input), (call, _start, result) => {
    const r = result as AnyRecord;
    call.finish({ responseModel: r?.model, usage: { inputTokens: r?.usage?.prompt_tokens ?? 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } });
  });

  return client;
}

function observeChat(call: LlmCall, start: CallStart, result: AnyRecord): void {
  if (!start.stream) {
    call.finish({ responseModel: result?.model, responseId: result?.id, usage: chatUsage(result?.usage), completion: chatCompletionText(result), finishReasons: result?.choices?.map((x: AnyRecord) => x.finish_reason).filter(Boolean) });
    return;
  }
  let model: string | undefined;
  let id: string | undefined;
  let usage: Usage | undefined;
  let completion = "";
  const reasons: string[] = [];
  observeStream(result as never, (chunk) => {
    const ch = chunk as AnyRecord;
    model ??= ch.model;
    id ??= ch.id;
    if (ch.usage) usage = chatUsage(ch.usage);
    for (const choice of (ch.choices ?? []) as AnyRecord[]) {
      const delta = choice.delta ?? {};
      if (delta.content || delta.tool_calls || delta.refusal || delta.reasoning_content) call.firstToken();
      if (typeof delta.content === "string") completion += delta.content;
      if (choice.finish_reason) reasons.push(choice.finish_reason);
    }
  }, (error) => call.finish({ responseModel: model, responseId: id, usage, completion, finishReasons: reasons, error }));
}

function observeResponses(call: LlmCall, start: CallStart, result: AnyRecord): void {
  if (!start.stream) {
    call.finish({ responseModel: result?.model, responseId: result?.id, usage: responsesUsage(result?.usage), completion: result?.output_text, finishReasons: result?.status ? [result.status] : undefined, error: result?.error ?? undefined });
    return;
  }
  let final: AnyRecord | undefined;
  let completion = "";
  observeStream(result as never, (event) => {
    const e = event as AnyRecord;
    if (typeof e.type !== "string") return;
    if (e.type === "response.output_text.delta") {
      call.firstToken();
      completion += e.delta ?? "";
    } else if (e.type.endsWith(".delta")) call.firstToken();
    if (e.type === "response.completed" || e.type === "response.incomplete" || e.type === "response.failed") final = e.response;
  }, (error) => call.finish({
    responseModel: final?.model, responseId: final?.id, usage: responsesUsage(final?.usage), completion,
    finishReasons: final?.status ? [final.status] : undefined, error: error ?? (final?.status === "failed" ? (final.error ?? new Error("response failed")) : undefined),
  }));
}
