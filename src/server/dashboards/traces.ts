import { z } from "zod";
import { SPAN_STATUSES } from "@/server/vocabulary";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";
import { ERROR_EVENT_COLUMNS } from "./error-groups";
import { LLM_CALL_COLUMNS } from "./llm-calls";
import { LOG_COLUMNS } from "./logs";
import { REQUEST_COLUMNS } from "./requests";
import { traceIdIn, traceIdVariants } from "./trace-id";

/** How many rows of each kind one trace returns at most. */
const MAX_TRACE_ROWS = 5000;

export const ZGetTraceQuery = z.strictObject({});

const SPAN_COLUMNS = `id::text AS id, trace_id AS "traceId", span_id AS "spanId", parent_span_id AS "parentSpanId",
  name, kind, start_time AS "startTime", end_time AS "endTime", duration_ms AS "durationMs", status,
  status_message AS "statusMessage", service, environment, release, attributes, events, redactions`;

/** The five queries of `getTrace` (exported so tests can EXPLAIN them). */
export function getTraceSql(options: { projectId: string; traceId: string }) {
  const values = [options.projectId, traceIdVariants(options.traceId), MAX_TRACE_ROWS];
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
export async function getTrace(db: Db, options: { projectId: string; traceId: string }) {
  const sql = getTraceSql(options);
  const [spans, logs, errors, llmCalls, requests] = await Promise.all([
    db.query(sql.spans),
    db.query(sql.logs),
    db.query(sql.errors),
    db.query(sql.llmCalls),
    db.query(sql.requests),
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

export const ZTraceList = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  service: z.string().trim().min(1).max(256).optional(),
  status: z.enum(SPAN_STATUSES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.object({ time: z.coerce.date(), id: z.string().regex(/^\d{1,19}$/) }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
type TraceList = z.output<typeof ZTraceList>;

/**
 * Root spans in the range, newest first, with span count, trace duration and whether any span
 * failed. The lateral names the project as a parameter, not `r.project_id` (the same value): Citus
 * prunes shards by constants, so that keeps the statement on the project's shard.
 */
export async function listTraces(db: Db, options: { projectId: string } & TraceList) {
  const p = new SqlParams();
  const project = p.add(options.projectId);
  const where = [
    `r.project_id = ${project}::uuid`,
    `r.parent_span_id IS NULL`,
    `r.start_time >= ${p.add(options.from)}`,
    `r.start_time < ${p.add(options.to)}`,
  ];
  if (options.service) where.push(`r.service = ${p.add(options.service)}`);
  if (options.status) where.push(`r.status = ${p.add(options.status)}`);
  if (options.q) where.push(`r.name ILIKE ${p.add(containsPattern(options.q))}`);
  if (options.cursor) where.push(`(r.start_time, r.id) < (${p.add(options.cursor.time)}::timestamptz, ${p.add(options.cursor.id)}::bigint)`);
  const { rows } = await db.query<{ id: string; startTime: Date }>(
    `SELECT r.id::text AS id, r.trace_id AS "traceId", r.name AS "rootName", r.service, r.start_time AS "startTime",
        a.duration_ms AS "durationMs", a.span_count AS "spanCount", CASE WHEN a.errors > 0 THEN 'error' ELSE r.status END AS status
       FROM spans r
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS span_count, count(*) FILTER (WHERE s.status = 'error')::int AS errors,
                extract(epoch FROM max(s.end_time) - min(s.start_time)) * 1000 AS duration_ms
           FROM spans s WHERE s.project_id = ${project}::uuid AND s.trace_id = r.trace_id) a
      WHERE ${where.join(" AND ")} ORDER BY r.start_time DESC, r.id DESC LIMIT ${p.add(options.limit + 1)}`,
    p.values,
  );
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? { time: last.startTime, id: last.id } : null };
}

export const ZLogErrorGroups = z.object({
  traceId: z.string().trim().min(1).max(64),
  spanId: z.string().trim().min(1).max(64).optional(),
});
type LogErrorGroups = z.output<typeof ZLogErrorGroups>;

/**
 * The error groups of the error events that share a log's trace (and its span, when the log has
 * one), most recently seen first. One statement: the (project_id, trace_id) index of error_events
 * finds the events, the groups come by their primary key (project_id, id).
 */
export async function logErrorGroups(db: Db, options: { projectId: string } & LogErrorGroups) {
  const p = new SqlParams();
  const project = p.add(options.projectId);
  const where = [`e.project_id = ${project}::uuid`, traceIdIn(p, "e.trace_id", options.traceId)];
  if (options.spanId) where.push(`e.span_id = ${p.add(options.spanId)}`);
  const { rows } = await db.query<{ id: string; title: string; level: string; status: string; events: number; lastSeen: Date }>(
    `SELECT g.id, g.title, g.level, g.status::text AS status, e.events, e.last_seen AS "lastSeen"
       FROM (SELECT e.group_id, count(*)::int AS events, max(e.time) AS last_seen
               FROM error_events e WHERE ${where.join(" AND ")} GROUP BY e.group_id) e
       JOIN error_groups g ON g.project_id = ${project}::uuid AND g.id = e.group_id
      ORDER BY e.last_seen DESC, g.id LIMIT 20`,
    p.values,
  );
  return rows;
}
