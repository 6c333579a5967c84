/** `error` events: the exception chain with parsed frames, level, tags, user and the request context. */
import { activeIds, currentScope, scopeUserId } from "./context.js";
import { newEventId } from "./ids.js";
import { exceptionValues, toError } from "./stack.js";
import type { WireEvent } from "./transport.js";

export type ErrorLevel = "fatal" | "error" | "warning" | "info" | "debug";

export type CaptureContext = {
  level?: ErrorLevel;
  tags?: Record<string, string | number | boolean>;
  user?: { id?: string; email?: string; username?: string; ip_address?: string };
  extra?: Record<string, unknown>;
  fingerprint?: string[];
  mechanism?: { type: string; handled: boolean };
  /** A logger name for the event (`logger` field). */
  logger?: string;
};

const MAX_TAG = 1024;

export function buildErrorEvent(thrown: unknown, context: CaptureContext = {}): WireEvent & { id: string } {
  const scope = currentScope();
  const error = toError(thrown);
  const ids = activeIds(scope);
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(context.tags ?? {})) tags[k.slice(0, 256)] = String(v).slice(0, MAX_TAG);
  if (scope.requestId) tags.request_id ??= scope.requestId;
  if (scope.request) {
    tags["http.request.method"] ??= scope.request.method;
    tags["url.path"] ??= scope.request.path.slice(0, MAX_TAG);
  }
  const userId = context.user?.id ?? scopeUserId(scope);
  const user = context.user || userId ? { ...context.user, ...(userId ? { id: userId } : {}) } : undefined;
  const extra = { ...scope.fields, ...context.extra };
  return {
    type: "error",
    id: newEventId(),
    timestamp: Date.now(),
    level: context.level ?? "error",
    message: error.message.slice(0, 32_768) || error.name,
    logger: context.logger,
    exception: { values: exceptionValues(thrown, context.mechanism ?? { type: "generic", handled: true }) },
    tags: Object.keys(tags).length ? tags : undefined,
    user,
    fingerprint: context.fingerprint,
    extra: Object.keys(extra).length ? extra : undefined,
    traceId: ids.traceId,
    spanId: ids.spanId,
  };
}
