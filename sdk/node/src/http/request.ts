/**
 * What every request middleware shares: continue an incoming W3C `traceparent` or start a
 * trace (or adopt an active OpenTelemetry span), pick the request id, run the handler in a scope
 * so logs, errors, fetches and LLM calls carry the ids, and at the end send one `request` event,
 * which the portal also records as the server span.
 */
import { emitEvent } from "../client.js";
import { currentScope, type Scope } from "../context.js";
import { newRequestId, newSpanId, newTraceId, parseTraceparent } from "../ids.js";
import { otelActiveIds } from "../otel.js";
import { nowMs } from "../spans.js";

export type HeaderBag = Record<string, string | string[] | number | undefined>;

export type MiddlewareOptions<Req = unknown> = {
  /** Paths (exact, or a RegExp) that are not recorded; defaults to common health checks. */
  ignorePaths?: Array<string | RegExp>;
  /** The signed-in user's id, read when the response is done (after your auth ran). */
  userId?: (req: Req) => string | number | null | undefined;
  /** Send request and response headers (redacted). Default true. */
  captureHeaders?: boolean;
  /** Header that carries an incoming request id and the response's. Default `x-request-id`. */
  requestIdHeader?: string;
};

export const DEFAULT_IGNORED_PATHS = ["/health", "/healthz", "/readyz", "/livez", "/ping", "/favicon.ico"];

export type RequestContext = {
  scope: Scope;
  requestId: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** The span belongs to OpenTelemetry: no server span of our own is sent. */
  otel: boolean;
  method: string;
  path: string;
  startMs: number;
  headers: HeaderBag;
  clientIp?: string;
  finished: boolean;
};

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

export function isIgnored(path: string, options: MiddlewareOptions<never>): boolean {
  const list = options.ignorePaths ?? DEFAULT_IGNORED_PATHS;
  return list.some((p) => (typeof p === "string" ? p === path : p.test(path)));
}

const header = (headers: HeaderBag, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v);
};

export function startRequest(input: { method: string; path: string; headers: HeaderBag; remoteAddress?: string }, options: MiddlewareOptions<never>): RequestContext {
  const incomingId = header(input.headers, options.requestIdHeader ?? "x-request-id");
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : newRequestId();
  const otel = otelActiveIds();
  const parent = otel ? null : parseTraceparent(header(input.headers, "traceparent"));
  const traceId = otel?.traceId ?? parent?.traceId ?? newTraceId();
  const spanId = otel?.spanId ?? newSpanId();
  const forwarded = header(input.headers, "x-forwarded-for")?.split(",")[0]?.trim() ?? header(input.headers, "x-real-ip");
  const outer = currentScope();
  return {
    scope: { fields: outer.fields, traceId, spanId, sampled: parent?.sampled ?? true, requestId, request: { method: input.method.toUpperCase(), path: input.path } },
    requestId,
    traceId,
    spanId,
    parentSpanId: parent?.parentSpanId,
    otel: otel !== null,
    method: input.method.toUpperCase(),
    path: input.path,
    startMs: nowMs(),
    headers: input.headers,
    clientIp: (forwarded || input.remoteAddress)?.slice(0, 64),
    finished: false,
  };
}

/** Headers the request event already carries as fields (or that say nothing): not repeated. */
const SKIPPED_HEADERS = new Set(["user-agent", "content-length", "x-request-id", "traceparent", "tracestate", "connection", "keep-alive"]);

function headerRecord(headers: HeaderBag | undefined): Record<string, string | string[]> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined || SKIPPED_HEADERS.has(k)) continue;
    out[k] = Array.isArray(v) ? v.slice(0, 32).map((x) => x.slice(0, 8192)) : String(v).slice(0, 8192);
  }
  return out;
}

const size = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
};

export type RequestOutcome = {
  status: number;
  /** The route template (`/items/:id`); undefined when no route matched. */
  route?: string;
  responseSize?: unknown;
  responseHeaders?: HeaderBag;
  userId?: string | number | null;
  error?: unknown;
};

export function finishRequest(ctx: RequestContext, outcome: RequestOutcome, options: MiddlewareOptions<never>): void {
  if (ctx.finished) return;
  ctx.finished = true;
  try {
    const endMs = nowMs();
    const durationMs = Math.max(0, endMs - ctx.startMs);
    const capture = options.captureHeaders !== false;
    const userId = outcome.userId === null || outcome.userId === undefined ? undefined : String(outcome.userId);
    const userAgent = header(ctx.headers, "user-agent")?.slice(0, 1024);
    const error = outcome.error instanceof Error ? outcome.error : undefined;
    emitEvent({
      type: "request",
      timestamp: Math.round(endMs - durationMs),
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      method: ctx.method,
      route: outcome.route,
      path: ctx.path.slice(0, 2048),
      status: outcome.status,
      durationMs,
      requestSize: size(header(ctx.headers, "content-length")),
      responseSize: size(outcome.responseSize),
      userAgent,
      clientIp: ctx.clientIp,
      userId,
      requestId: ctx.requestId,
      requestHeaders: capture ? headerRecord(ctx.headers) : undefined,
      responseHeaders: capture ? headerRecord(outcome.responseHeaders) : undefined,
      // One event per request: the portal records it as the trace's server span too (named
      // `METHOD route`, OpenTelemetry's HTTP attributes). When the span belongs to an
      // OpenTelemetry SDK, that SDK exports it.
      span: ctx.otel ? undefined : { parentSpanId: ctx.parentSpanId, statusMessage: error?.message.slice(0, 4096), errorType: error?.name },
    });
  } catch {
    // never into the app
  }
}
