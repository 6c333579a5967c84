/**
 * A `request` event sent with `span` also stands for its trace's server span: the span row is
 * derived here, with OpenTelemetry's HTTP server names, so an SDK sends one event per request
 * (the reverse of OTLP, where a server span also yields the request record).
 */
import type { RequestEvent, SpanEvent } from "./schemas";

export function serverSpanOf(request: RequestEvent, start: Date, end: Date): SpanEvent | null {
  const { span, traceId, spanId } = request;
  if (!span || !traceId || !spanId) return null;
  return {
    type: "span",
    // Client ids are unique per table, so the span keeps the request's: a retry stores both once.
    id: request.id,
    service: request.service,
    environment: request.environment,
    release: request.release,
    traceId,
    spanId,
    parentSpanId: span.parentSpanId,
    name: `${request.method} ${request.route ?? request.path}`.slice(0, 1024),
    kind: "server",
    startTime: start.getTime(),
    endTime: end.getTime(),
    // OpenTelemetry's rule for server spans: only a 5xx is an error.
    status: request.status >= 500 ? "error" : "unset",
    statusMessage: span.statusMessage,
    attributes: {
      "http.request.method": request.method,
      ...(request.route ? { "http.route": request.route } : {}),
      "url.path": request.path,
      "http.response.status_code": request.status,
      ...(request.requestId ? { "sightline.request_id": request.requestId } : {}),
      ...(request.userId ? { "user.id": request.userId } : {}),
      ...(span.errorType ? { "error.type": span.errorType } : {}),
    },
  };
}
