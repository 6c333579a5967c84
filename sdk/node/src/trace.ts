/** Manual tracing helpers: the current `traceparent` for clients the SDK does not patch, and custom spans. */
import { activeIds, currentScope, runInScope } from "./context.js";
import { formatTraceparent, newSpanId, newTraceId } from "./ids.js";
import { emitSpan, nowMs } from "./spans.js";

/** The `traceparent` to send with an outgoing call made now; undefined outside a trace. */
export function currentTraceparent(): string | undefined {
  const ids = activeIds();
  return ids.traceId && ids.spanId ? formatTraceparent(ids.traceId, ids.spanId, currentScope().sampled !== false) : undefined;
}

/** Runs `fn` as an internal span named `name` (a child of the current span, or a new trace). */
export async function withSpan<T>(name: string, fn: () => Promise<T> | T, attributes: Record<string, unknown> = {}): Promise<T> {
  const outer = currentScope();
  const ids = activeIds(outer);
  const traceId = ids.traceId ?? newTraceId();
  const spanId = newSpanId();
  const startMs = nowMs();
  let failed: unknown;
  try {
    return await runInScope({ ...outer, traceId, spanId }, fn);
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    emitSpan({
      traceId, spanId, parentSpanId: ids.spanId, name, kind: "internal", startMs, endMs: nowMs(),
      status: failed ? "error" : "unset", statusMessage: failed instanceof Error ? failed.message : undefined, attributes,
    });
  }
}
