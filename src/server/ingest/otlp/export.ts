/**
 * One OTLP export request, decoded → mapped → `ingestBatch` (the same validation, redaction,
 * pricing, grouping and atomic write as `POST /api/v1/ingest`) → the OTLP partial-success counts.
 * An item (span, log record, data point) is rejected when it could not be mapped or its own
 * span/log/metric event was rejected; rejected derived events (an LLM call or error built from an
 * accepted span) are reported in the message but do not make the span count as rejected.
 */
import type { DbPool } from "@/server/db/sql";
import { ingestBatch, type IngestScope } from "../pipeline";
import { mapOtlpLogs } from "./map-logs";
import { mapOtlpMetrics } from "./map-metrics";
import { mapOtlpTraces } from "./map-traces";
import { describeIssues, type MappedBatch } from "./mapped";
import { ZOtlpLogsRequest, ZOtlpMetricsRequest, ZOtlpTracesRequest, type OtlpSignal } from "./schemas";

const ITEM_NAME = { traces: "span", logs: "log record", metrics: "data point" } as const;
const MAX_REASONS = 5;
const MAX_MESSAGE_CHARS = 2000;

type OtlpExportResult = { ok: true; items: number; rejected: number; errorMessage: string; events: number } | { ok: false; message: string };

function mapRequest(signal: OtlpSignal, body: unknown, now: number): MappedBatch | string {
  if (signal === "traces") {
    const parsed = ZOtlpTracesRequest.safeParse(body);
    return parsed.success ? mapOtlpTraces(parsed.data) : describeIssues(parsed.error.issues);
  }
  if (signal === "logs") {
    const parsed = ZOtlpLogsRequest.safeParse(body);
    return parsed.success ? mapOtlpLogs(parsed.data, now) : describeIssues(parsed.error.issues);
  }
  const parsed = ZOtlpMetricsRequest.safeParse(body);
  return parsed.success ? mapOtlpMetrics(parsed.data, now) : describeIssues(parsed.error.issues);
}

/** Maps and stores a decoded export request for the key's project. Throws IngestWriteError when the write fails. */
export async function exportOtlp(db: DbPool, scope: IngestScope, signal: OtlpSignal, body: unknown, receivedAt = new Date()): Promise<OtlpExportResult> {
  const mapped = mapRequest(signal, body, receivedAt.getTime());
  if (typeof mapped === "string") return { ok: false, message: `Not an OTLP ${signal} export request: ${mapped}` };
  const result = mapped.events.length ? await ingestBatch(db, scope, mapped.events, { receivedAt }) : { rejected: [] };

  const rejectedItems = new Set(mapped.invalid.map((i) => i.item));
  const reasons = mapped.invalid.map((i) => `${ITEM_NAME[signal]} ${i.item}: ${i.message}`);
  for (const r of result.rejected) {
    const origin = mapped.origins[r.index]!;
    const event = mapped.events[r.index]!;
    if (origin.primary) rejectedItems.add(origin.item);
    const detail = r.errors.map((e) => `${e.path} ${e.message}`).join(", ");
    reasons.push(`${ITEM_NAME[signal]} ${origin.item}${origin.primary ? "" : ` (its ${event.type} event)`}: ${detail}`);
  }
  const more = reasons.length > MAX_REASONS ? ` (and ${reasons.length - MAX_REASONS} more)` : "";
  return {
    ok: true,
    items: mapped.itemCount,
    rejected: rejectedItems.size,
    errorMessage: (reasons.slice(0, MAX_REASONS).join("; ") + more).slice(0, MAX_MESSAGE_CHARS),
    events: mapped.events.length,
  };
}
