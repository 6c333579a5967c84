/**
 * Logs search and trace list: raw-row reads (newest first, keyset cursors). One trace with its
 * logs, errors and LLM calls comes from the read API's `getTrace` (src/server/query/traces.ts).
 */
import { z } from "zod";
import { LOG_LEVELS, SPAN_STATUSES } from "@/server/vocabulary";
import { LOG_COLUMNS, type LogItem } from "@/server/query/logs";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";

export const ZLogSearch = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  q: z.string().trim().min(1).max(200).optional(),
  level: z.array(z.enum(LOG_LEVELS)).max(6).optional(),
  service: z.string().trim().min(1).max(256).optional(),
  environment: z.string().trim().min(1).max(64).optional(),
  traceId: z.string().trim().min(1).max(64).optional(),
  /** Attribute equality filters: `{ "http.route": "/api/chat" }` (matched with jsonb containment). */
  attributes: z.record(z.string().min(1).max(128), z.union([z.string().max(512), z.number(), z.boolean()])).optional(),
  cursor: z.object({ time: z.coerce.date(), id: z.string().regex(/^\d{1,19}$/) }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
}).refine((v) => v.from < v.to, { path: ["to"], message: "must be after from" });
export type LogSearch = z.output<typeof ZLogSearch>;

function typedForms(text: string): Array<number | boolean> {
  if (text === "true" || text === "false") return [text === "true"];
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? [n] : [];
}

/** Logs newest first; `q` is a case-insensitive substring of the message (trigram GIN index). */
export async function searchLogs(db: Db, options: { projectId: string } & LogSearch) {
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, `time >= ${p.add(options.from)}`, `time < ${p.add(options.to)}`];
  if (options.q) where.push(`message ILIKE ${p.add(containsPattern(options.q))}`);
  if (options.level?.length) where.push(`level = ANY(${p.add(options.level)}::text[])`);
  if (options.service) where.push(`service = ${p.add(options.service)}`);
  if (options.environment) where.push(`environment = ${p.add(options.environment)}`);
  // Ids are stored as sent; a pasted W3C id may differ only in case from the lower-case hex exporters send.
  if (options.traceId) where.push(`trace_id = ANY(${p.add([...new Set([options.traceId, options.traceId.toLowerCase()])])}::text[])`);
  for (const [key, value] of Object.entries(options.attributes ?? {})) {
    // A filter typed as text ("status=500") also matches the number or boolean an SDK sent.
    const alternatives = [value, ...(typeof value === "string" ? typedForms(value) : [])];
    where.push(`(${alternatives.map((v) => `attributes @> ${p.add(JSON.stringify({ [key]: v }))}::jsonb`).join(" OR ")})`);
  }
  if (options.cursor) {
    const t = p.add(options.cursor.time);
    where.push(`(time, id) < (${t}::timestamptz, ${p.add(options.cursor.id)}::bigint)`);
  }
  // ORDER BY names the table's columns: a bare `id` would sort by the text alias ("10" < "9") while
  // the cursor compares the bigint, so rows with one timestamp were skipped or repeated across pages.
  const { rows } = await db.query<LogItem>(
    `SELECT ${LOG_COLUMNS} FROM logs WHERE ${where.join(" AND ")} ORDER BY logs.time DESC, logs.id DESC LIMIT ${p.add(options.limit + 1)}`,
    p.values,
  );
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? { time: last.time, id: last.id } : null };
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
export type TraceList = z.output<typeof ZTraceList>;

/** Root spans in the range, newest first, with span count, trace duration and whether any span failed. */
export async function listTraces(db: Db, options: { projectId: string } & TraceList) {
  const p = new SqlParams();
  const project = p.add(options.projectId);
  const where = [`r.project_id = ${project}::uuid`, `r.parent_span_id IS NULL`, `r.start_time >= ${p.add(options.from)}`, `r.start_time < ${p.add(options.to)}`];
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
           FROM spans s WHERE s.project_id = r.project_id AND s.trace_id = r.trace_id) a
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
export type LogErrorGroups = z.output<typeof ZLogErrorGroups>;

/**
 * The error groups of the error events that share a log's trace (and its span, when the log has
 * one), most recently seen first. One statement: the (project_id, trace_id) index of error_events
 * finds the events, the groups come by their primary key (project_id, id).
 */
export async function logErrorGroups(db: Db, options: { projectId: string } & LogErrorGroups) {
  const p = new SqlParams();
  const project = p.add(options.projectId);
  const where = [`e.project_id = ${project}::uuid`, `e.trace_id = ${p.add(options.traceId)}`];
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
