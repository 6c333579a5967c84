/**
 * OTLP log records → `log` events (severity number, else severity text, → level). A record that
 * carries `exception.*` attributes (the OTel way to log an exception) also becomes an `error` event.
 */
import type { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "@/server/vocabulary";
import { MAX_MESSAGE_LENGTH } from "../schemas";
import { fitAttributes, otlpClientId, resourceContext, type ResourceContext } from "./context";
import { exceptionErrorEvent } from "./exceptions";
import { addEvent, describeIssues, emptyMappedBatch, type MappedBatch } from "./mapped";
import { ZOtlpLogRecord, type OtlpLogRecord, type ZOtlpLogsRequest } from "./schemas";
import { anyValueToJs, firstString, keyValuesToRecord, nanosToEpochMs, normaliseId } from "./values";

const SEVERITY_TEXT: Record<string, LogLevel> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  information: "info",
  notice: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  err: "error",
  critical: "fatal",
  crit: "fatal",
  alert: "fatal",
  emergency: "fatal",
  emerg: "fatal",
  fatal: "fatal",
  panic: "fatal",
};

const SEVERITY_NUMBER_NAMES = /^SEVERITY_NUMBER_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)(\d)?$/;

/** SeverityNumber 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; else the text; else info. */
export function severityToLevel(number: number | string | null | undefined, text: string | null | undefined): LogLevel {
  if (typeof number === "number" && number >= 1 && number <= 24) {
    return LOG_LEVELS[Math.floor((number - 1) / 4)]!;
  }
  const named = typeof number === "string" ? SEVERITY_NUMBER_NAMES.exec(number) : null;
  if (named) return named[1]!.toLowerCase() as LogLevel;
  const word = text?.trim().toLowerCase().replace(/\d+$/, "");
  return (word && SEVERITY_TEXT[word]) || "info";
}

function messageOf(record: OtlpLogRecord): string {
  const body = anyValueToJs(record.body);
  const text = body === null ? (record.eventName ?? "") : typeof body === "string" ? body : JSON.stringify(body);
  return text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH) : text;
}

function mapLogRecord(batch: MappedBatch, item: number, record: OtlpLogRecord, ctx: ResourceContext, scopeName: string | undefined, now: number) {
  const timestamp = nanosToEpochMs(record.timeUnixNano) ?? nanosToEpochMs(record.observedTimeUnixNano) ?? now;
  const traceId = normaliseId(record.traceId, 16);
  const spanId = normaliseId(record.spanId, 8);
  const attrs = keyValuesToRecord(record.attributes);
  const level = severityToLevel(record.severityNumber, record.severityText);
  const message = messageOf(record);
  const userId = firstString(attrs, "user.id", "enduser.id");
  const requestId = firstString(attrs, "request.id", "http.request.id");
  const logAttrs = fitAttributes(record.eventName ? { ...attrs, "event.name": record.eventName } : attrs);
  const ids = { ...(traceId ? { traceId } : {}), ...(spanId ? { spanId } : {}) };
  const timed = Boolean(record.timeUnixNano || record.observedTimeUnixNano);
  const id = timed
    ? otlpClientId("log", record.timeUnixNano, record.observedTimeUnixNano, traceId, spanId, ctx.service, scopeName, level, message, attrs)
    : undefined;
  addEvent(
    batch,
    item,
    {
      type: "log",
      ...(id ? { id } : {}),
      timestamp,
      ...ctx,
      ...ids,
      level,
      message,
      ...(scopeName ? { logger: scopeName.slice(0, 256) } : {}),
      ...(logAttrs ? { attributes: logAttrs } : {}),
      ...(userId ? { userId: userId.slice(0, 256) } : {}),
      ...(requestId ? { requestId: requestId.slice(0, 128) } : {}),
    },
    true,
  );
  const error = exceptionErrorEvent({
    attrs,
    id: id?.replace("otlp-log-", "otlp-logerror-"),
    timestamp,
    context: { ...ctx, ...ids },
    level: level === "fatal" ? "fatal" : "error",
    logger: scopeName,
  });
  if (error) addEvent(batch, item, error, false);
}

/** Maps a parsed `ExportLogsServiceRequest`; items are log records. Records without a time get `now`. */
export function mapOtlpLogs(request: z.infer<typeof ZOtlpLogsRequest>, now = Date.now()): MappedBatch {
  const batch = emptyMappedBatch();
  for (const rl of request.resourceLogs) {
    const ctx = resourceContext(rl.resource);
    for (const sl of rl.scopeLogs) {
      const scopeName = sl.scope?.name || undefined;
      for (const raw of sl.logRecords) {
        const item = batch.itemCount++;
        const parsed = ZOtlpLogRecord.safeParse(raw);
        if (parsed.success) mapLogRecord(batch, item, parsed.data, ctx, scopeName, now);
        else batch.invalid.push({ item, message: describeIssues(parsed.error.issues) });
      }
    }
  }
  return batch;
}
