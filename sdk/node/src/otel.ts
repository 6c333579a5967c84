/**
 * Optional OpenTelemetry bridge: when `@opentelemetry/api` is installed and a valid span is
 * active, the SDK uses its trace and span ids instead of starting its own. The API is loaded
 * once, lazily, with a dynamic import so the SDK has no hard dependency on it.
 */
type OtelApi = {
  trace: { getActiveSpan(): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined };
};

let api: OtelApi | null = null;
let loading: Promise<void> | null = null;

/** Starts loading `@opentelemetry/api`; resolves either way. Called by `init`. */
export function loadOtel(): Promise<void> {
  loading ??= import("@opentelemetry/api" as string)
    .then((mod: unknown) => {
      const m = mod as Partial<OtelApi> & { default?: Partial<OtelApi> };
      const candidate = m.trace ? m : m.default;
      if (candidate?.trace && typeof candidate.trace.getActiveSpan === "function") api = candidate as OtelApi;
    })
    .catch(() => undefined);
  return loading;
}

const INVALID_TRACE = /^0+$/;

export function otelActiveIds(): { traceId: string; spanId: string; sampled: boolean } | null {
  if (!api) return null;
  try {
    const ctx = api.trace.getActiveSpan()?.spanContext();
    if (!ctx || INVALID_TRACE.test(ctx.traceId) || INVALID_TRACE.test(ctx.spanId)) return null;
    return { traceId: ctx.traceId, spanId: ctx.spanId, sampled: (ctx.traceFlags & 1) === 1 };
  } catch {
    return null;
  }
}
