/** `span` events (the trace waterfall) sent through the client, with OpenTelemetry attribute names. */
import { emit as emitEvent } from "./emit.js";

export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";

export type FinishedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds (fractions kept as far as the wire allows). */
  startMs: number;
  endMs: number;
  status?: "unset" | "ok" | "error";
  statusMessage?: string;
  attributes?: Record<string, unknown>;
};

export function emitSpan(s: FinishedSpan): void {
  emitEvent({
    type: "span",
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name.slice(0, 1024),
    kind: s.kind,
    // Epoch milliseconds (the portal takes them as well as ISO strings): cheaper and shorter.
    startTime: Math.round(s.startMs),
    endTime: Math.round(Math.max(s.endMs, s.startMs)),
    status: s.status ?? "unset",
    statusMessage: s.statusMessage?.slice(0, 4096),
    attributes: s.attributes,
  });
}

/** Wall-clock milliseconds with sub-millisecond resolution, for durations that match span times. */
const origin = Date.now() - performance.now();
export const nowMs = (): number => origin + performance.now();
