/**
 * The one AsyncLocalStorage of the SDK. A scope carries the fields of `logger.contextualize`
 * and, inside a request or an LLM call, the active trace and span ids, the request id and the
 * user id. Everything logged, captured or sent inside `fn` reads it, across `await`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { otelActiveIds } from "./otel.js";

export type Scope = {
  fields: Readonly<Record<string, unknown>>;
  traceId?: string;
  spanId?: string;
  sampled?: boolean;
  requestId?: string;
  /** The request being handled, for error events. */
  request?: { method: string; path: string };
  userId?: string;
  /** A fetch made while this is set is the SDK's own and is not traced. */
  internal?: boolean;
};

const EMPTY: Scope = { fields: Object.freeze({}) };
export const storage = new AsyncLocalStorage<Scope>();

export function currentScope(): Scope {
  return storage.getStore() ?? EMPTY;
}

export function runInScope<T>(scope: Scope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Fields merged over the current scope's for the duration of `fn` (loguru's `contextualize`). */
export function withFields<T>(fields: Record<string, unknown>, fn: () => T): T {
  const parent = currentScope();
  return storage.run({ ...parent, fields: { ...parent.fields, ...fields } }, fn);
}

/**
 * Trace and span ids for an event: the SDK's own scope first, else an active OpenTelemetry span
 * (when `@opentelemetry/api` is installed and a span is recording), else none.
 */
export function activeIds(scope: Scope = currentScope()): { traceId?: string; spanId?: string } {
  if (scope.traceId) return { traceId: scope.traceId, spanId: scope.spanId };
  return otelActiveIds() ?? {};
}

/** The user id of a scope: set by the middleware's `userId` option or a contextualized `userId`/`user_id`. */
export function scopeUserId(scope: Scope = currentScope()): string | undefined {
  const f = scope.fields;
  const v = scope.userId ?? f.userId ?? f.user_id;
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}
