/**
 * Outgoing `fetch` inside a request (or any scope with a trace): sends `traceparent` with the
 * call and records a client span (method, host, status, duration). Outside a trace, fetch is
 * called untouched. The SDK's own traffic uses node:http and is never seen here.
 */
import { currentScope, runInScope } from "../context.js";
import { formatTraceparent, newSpanId } from "../ids.js";
import { emitSpan, nowMs } from "../spans.js";

const ORIGINAL = Symbol.for("sightline.fetch.original");
type PatchedFetch = typeof fetch & { [ORIGINAL]?: typeof fetch };

function describe(input: string | URL | Request, init: RequestInit | undefined): { method: string; url: URL | null } {
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  try {
    return { method, url: new URL(input instanceof Request ? input.url : String(input)) };
  } catch {
    return { method, url: null };
  }
}

export function patchFetch(): void {
  const current = globalThis.fetch as PatchedFetch | undefined;
  if (!current || current[ORIGINAL]) return;
  const original = current;
  const traced = async function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const scope = currentScope();
    if (!scope.traceId || scope.internal) return original(input, init);
    const { method, url } = describe(input, init);
    const spanId = newSpanId();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has("traceparent")) headers.set("traceparent", formatTraceparent(scope.traceId, spanId, scope.sampled !== false));
    const startMs = nowMs();
    const attributes: Record<string, unknown> = {
      "http.request.method": method,
      "server.address": url?.hostname,
      "server.port": url ? Number(url.port || (url.protocol === "https:" ? 443 : 80)) : undefined,
      "url.full": url ? `${url.origin}${url.pathname}` : undefined,
    };
    const finish = (status: number | null, error?: unknown) => {
      if (status !== null) attributes["http.response.status_code"] = status;
      if (error) attributes["error.type"] = (error as Error).name ?? "Error";
      emitSpan({
        traceId: scope.traceId!,
        spanId,
        parentSpanId: scope.spanId,
        name: `${method} ${url?.host ?? "unknown"}`,
        kind: "client",
        startMs,
        endMs: nowMs(),
        status: error || (status !== null && status >= 400) ? "error" : "unset",
        statusMessage: error instanceof Error ? error.message : undefined,
        attributes,
      });
    };
    try {
      const response = await runInScope({ ...scope, spanId }, () => original(input, { ...init, headers }));
      finish(response.status);
      return response;
    } catch (error) {
      finish(null, error);
      throw error;
    }
  } as PatchedFetch;
  traced[ORIGINAL] = original;
  globalThis.fetch = traced;
}

export function unpatchFetch(): void {
  const current = globalThis.fetch as PatchedFetch | undefined;
  if (current?.[ORIGINAL]) globalThis.fetch = current[ORIGINAL];
}
