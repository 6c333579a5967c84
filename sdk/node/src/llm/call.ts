/**
 * One LLM call, provider-neutral: a client span with OpenTelemetry GenAI attributes and one
 * `llm` event (tokens as the portal prices them: input includes cached and cache-write tokens,
 * output includes reasoning tokens), latency, time to first token for streams, status and
 * error, the `feature` and user id from `contextualize`. Prompts and completions only on opt-in.
 */
import { emitEvent, getOptions } from "../client.js";
import { activeIds, currentScope, runInScope, scopeUserId, type Scope } from "../context.js";
import { newSpanId, newTraceId } from "../ids.js";
import { emitSpan, nowMs } from "../spans.js";

export type Usage = { inputTokens: number; cachedInputTokens: number; cacheWriteTokens: number; outputTokens: number; reasoningTokens: number };
export const ZERO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

export type WrapOptions = {
  /** Send prompts and completions (default: the `init` option, itself off by default). */
  capturePayloads?: boolean;
  /** A feature name for every call of this client (a contextualized `feature` wins). */
  feature?: string;
};

export type CallStart = {
  provider: "openai" | "anthropic";
  operation: "chat" | "embeddings" | "text_completion";
  requestModel: string;
  api: string;
  stream: boolean;
  params: Record<string, unknown>;
  prompt?: unknown;
};

export type CallEnd = {
  responseModel?: string;
  responseId?: string;
  usage?: Usage;
  completion?: string;
  finishReasons?: string[];
  error?: unknown;
};

const MAX_TEXT = 262_144;
const nonNeg = (n: unknown): number => (typeof n === "number" && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Portal invariants: cached + cache-write ≤ input, reasoning ≤ output (else the event would be rejected). */
export function clampUsage(u: Usage): Usage {
  const inputTokens = nonNeg(u.inputTokens);
  const cachedInputTokens = Math.min(nonNeg(u.cachedInputTokens), inputTokens);
  const cacheWriteTokens = Math.min(nonNeg(u.cacheWriteTokens), inputTokens - cachedInputTokens);
  const outputTokens = nonNeg(u.outputTokens);
  return { inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens: Math.min(nonNeg(u.reasoningTokens), outputTokens) };
}

function text(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const s = typeof value === "string" ? value : JSON.stringify(value);
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}

function errorType(error: unknown): string {
  const e = error as { status?: unknown; name?: unknown; constructor?: { name?: string } };
  const name = e?.constructor?.name && e.constructor.name !== "Object" ? e.constructor.name : typeof e?.name === "string" ? e.name : "Error";
  return typeof e?.status === "number" ? `${name} (${e.status})` : name;
}

export class LlmCall {
  readonly scope: Scope;
  private readonly startMs = nowMs();
  private readonly startWall = Date.now();
  private firstTokenMs: number | undefined;
  private done = false;
  private readonly traceId: string;
  private readonly spanId = newSpanId();
  private readonly parentSpanId: string | undefined;
  private readonly feature: string | undefined;
  private readonly userId: string | undefined;

  constructor(private readonly start: CallStart, private readonly options: WrapOptions) {
    const outer = currentScope();
    const ids = activeIds(outer);
    this.traceId = ids.traceId ?? newTraceId();
    this.parentSpanId = ids.spanId;
    this.scope = { ...outer, traceId: this.traceId, spanId: this.spanId };
    const f = outer.fields.feature;
    this.feature = typeof f === "string" ? f : options.feature;
    this.userId = scopeUserId(outer);
  }

  run<T>(fn: () => T): T {
    return runInScope(this.scope, fn);
  }

  firstToken(): void {
    this.firstTokenMs ??= nowMs();
  }

  finish(end: CallEnd): void {
    if (this.done) return;
    this.done = true;
    try {
      const endMs = nowMs();
      const latencyMs = endMs - this.startMs;
      const usage = clampUsage(end.usage ?? ZERO_USAGE);
      const model = end.responseModel || this.start.requestModel || "unknown";
      const failed = end.error !== undefined;
      const capture = this.options.capturePayloads ?? getOptions()?.capturePayloads ?? false;
      const ttft = this.start.stream && this.firstTokenMs !== undefined ? this.firstTokenMs - this.startMs : undefined;
      const p = this.start.params;
      const attributes: Record<string, unknown> = {
        "gen_ai.provider.name": this.start.provider,
        "gen_ai.operation.name": this.start.operation,
        "gen_ai.request.model": this.start.requestModel,
        "gen_ai.response.model": end.responseModel,
        "gen_ai.response.id": end.responseId,
        "gen_ai.response.finish_reasons": end.finishReasons,
        "gen_ai.request.max_tokens": p.max_tokens ?? p.max_completion_tokens ?? p.max_output_tokens,
        "gen_ai.request.temperature": p.temperature,
        "gen_ai.usage.input_tokens": usage.inputTokens,
        "gen_ai.usage.output_tokens": usage.outputTokens,
        "gen_ai.usage.cache_read.input_tokens": usage.cachedInputTokens,
        "gen_ai.usage.cache_creation.input_tokens": usage.cacheWriteTokens,
        "gen_ai.usage.reasoning.output_tokens": usage.reasoningTokens,
        "sightline.llm.api": this.start.api,
        "sightline.llm.stream": this.start.stream,
        ...(ttft !== undefined ? { "sightline.llm.time_to_first_token_ms": ttft } : {}),
        ...(failed ? { "error.type": errorType(end.error) } : {}),
        ...(this.feature ? { "sightline.feature": this.feature } : {}),
      };
      for (const k of Object.keys(attributes)) if (attributes[k] === undefined) delete attributes[k];
      emitEvent({
        type: "llm",
        timestamp: this.startWall,
        traceId: this.traceId,
        spanId: this.spanId,
        provider: this.start.provider,
        model,
        operation: this.start.operation,
        ...usage,
        latencyMs,
        timeToFirstTokenMs: ttft,
        status: failed ? "error" : "ok",
        errorType: failed ? errorType(end.error) : undefined,
        userId: this.userId,
        feature: this.feature,
        prompt: capture ? text(this.start.prompt) : undefined,
        completion: capture ? text(end.completion) : undefined,
        attributes,
      });
      emitSpan({
        traceId: this.traceId,
        spanId: this.spanId,
        parentSpanId: this.parentSpanId,
        name: `${this.start.operation} ${model}`,
        kind: "client",
        startMs: this.startMs,
        endMs,
        status: failed ? "error" : "unset",
        statusMessage: failed ? String((end.error as Error)?.message ?? end.error).slice(0, 4096) : undefined,
        attributes,
      });
    } catch {
      // never into the app
    }
  }
}

type AsyncIterableObject = { [Symbol.asyncIterator](): AsyncIterator<unknown> };

/**
 * Observes a provider stream in place (the object the app gets is the provider's own): each
 * chunk goes to `onChunk`; the end — done, early `break`, or an error — to `onEnd`, once.
 */
export function observeStream(stream: AsyncIterableObject, onChunk: (chunk: unknown) => void, onEnd: (error?: unknown) => void): void {
  const original = stream[Symbol.asyncIterator].bind(stream);
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function iterate(): AsyncIterator<unknown> {
      const it = original();
      return {
        async next() {
          try {
            const r = await it.next();
            if (r.done) end();
            else {
              try {
                onChunk(r.value);
              } catch {
                // observing never breaks the stream
              }
            }
            return r;
          } catch (error) {
            end(error);
            throw error;
          }
        },
        async return(value?: unknown) {
          end();
          return it.return ? it.return(value) : { done: true, value };
        },
        async throw(error?: unknown) {
          end(error);
          if (it.throw) return it.throw(error);
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterator<unknown> & AsyncIterable<unknown>;
    },
  });
}

/** Calls `create` (the provider's own, returning its APIPromise) and watches the result without replacing it. */
export function watchPromise<T>(promise: T, onValue: (value: unknown) => void, onError: (error: unknown) => void): T {
  const thenable = promise as unknown as PromiseLike<unknown>;
  if (thenable && typeof thenable.then === "function") {
    thenable.then(
      (value) => {
        try {
          onValue(value);
        } catch {
          // never into the app
        }
      },
      (error) => onError(error),
    );
  }
  return promise;
}
