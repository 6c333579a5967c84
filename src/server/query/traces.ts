import { z } from "zod";
import { pool } from "@/server/db/pool";
import { ERROR_EVENT_COLUMNS } from "./errors";
import { LLM_CALL_COLUMNS } from "./llm-calls";
import { LOG_COLUMNS } from "./logs";
import { REQUEST_COLUMNS } from "./requests";

/** How many rows of each kind one trace returns at most. */
export const MAX_TRACE_ROWS = 5000;

export const ZTraceId = z.string().trim().min(1, "must not be empty").max(64, "at most 64 characters");
export const ZGetTraceQuery = z.strictObject({});

const SPAN_COLUMNS = `id::text AS id, trace_id AS "traceId", span_id AS "spanId", parent_span_id AS "parentSpanId",
  name, kind, start_time AS "startTime", end_time AS "endTime", duration_ms AS "durationMs", status,
  status_message AS "statusMessage", service, environment, release, attributes, events, redactions`;

/** The trace id as sent, plus its lower-case form (OTLP ids are stored as lower-case hex). */
function idVariants(traceId: string): string[] {
  return [...new Set([traceId, traceId.toLowerCase()])];
}

/** The five queries of `getTrace` (exported so tests can EXPLAIN them). */
export function getTraceSql(options: { projectId: string; traceId: string }) {
  const values = [options.projectId, idVariants(options.traceId), MAX_TRACE_ROWS];
  const where = `project_id = $1::uuid AND trace_id = ANY($2::text[])`;
  const q = (text: string) => ({ text, values });
  return {
    spans: q(`SELECT ${SPAN_COLUMNS} FROM spans WHERE ${where} ORDER BY spans.start_time, spans.id LIMIT $3`),
    logs: q(`SELECT ${LOG_COLUMNS} FROM logs WHERE ${where} ORDER BY logs.time, logs.id LIMIT $3`),
    errors: q(`SELECT ${ERROR_EVENT_COLUMNS} FROM error_events WHERE ${where} ORDER BY error_events.time, error_events.id LIMIT $3`),
    llmCalls: q(`SELECT ${LLM_CALL_COLUMNS} FROM llm_calls WHERE ${where} ORDER BY llm_calls.time, llm_calls.id LIMIT $3`),
    requests: q(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE ${where} ORDER BY requests.time, requests.id LIMIT $3`),
  };
}

/**
 * Everything one project recorded under a trace id: spans (by start time) and the logs, errors,
 * LLM calls and HTTP requests that carry the same trace id. Null when the project has none of them.
 */
export async function getTrace(options: { projectId: string; traceId: string }) {
  const sql = getTraceSql(options);
  const [spans, logs, errors, llmCalls, requests] = await Promise.all([
    pool.query(sql.spans),
    pool.query(sql.logs),
    pool.query(sql.errors),
    pool.query(sql.llmCalls),
    pool.query(sql.requests),
  ]);
  const total = spans.rowCount! + logs.rowCount! + errors.rowCount! + llmCalls.rowCount! + requests.rowCount!;
  if (total === 0) return null;
  const starts = spans.rows.map((s) => (s.startTime as Date).getTime());
  const ends = spans.rows.map((s) => (s.endTime as Date).getTime());
  return {
    traceId: (spans.rows[0]?.traceId as string | undefined) ?? options.traceId,
    startTime: starts.length ? new Date(Math.min(...starts)) : null,
    endTime: ends.length ? new Date(Math.max(...ends)) : null,
    durationMs: starts.length ? Math.max(...ends) - Math.min(...starts) : null,
    spans: spans.rows,
    logs: logs.rows,
    errors: errors.rows,
    llmCalls: llmCalls.rows,
    requests: requests.rows,
  };
}
