/**
 * Logs search and trace list: raw-row reads (newest first, keyset cursors). One trace with its
 * logs, errors and LLM calls comes from the read API's `getTrace` (src/server/query/traces.ts).
 */
import { z } from "zod";
import type { Db } from "./sql";
import { Params } from "./sql";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

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
});
export type LogSearch = z.output<typeof ZLogSearch>;

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Logs newest first; `q` is a case-insensitive substring of the message (trigram GIN index). */
export async function searchLogs(db: Db, options: { projectId: string } & LogSearch) {
  const p = new Params();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, `time >= ${p.add(options.from)}`, `time < ${p.add(options.to)}`];
  if (options.q) where.push(`message ILIKE ${p.add(like(options.q))}`);
  if (options.level?.length) where.push(`level = ANY(${p.add(options.level)}::text[])`);
  if (options.service) where.push(`service = ${p.add(options.service)}`);
  if (options.environment) where.push(`environment = ${p.add(options.environment)}`);
  if (options.traceId) where.push(`trace_id = ${p.add(options.traceId.toLowerCase())}`);
  if (options.attributes) where.push(`attributes @> ${p.add(JSON.stringify(options.attributes))}::jsonb`);
  if (options.cursor) {
    const t = p.add(options.cursor.time);
    where.push(`(time, id) < (${t}::timestamptz, ${p.add(options.cursor.id)}::bigint)`);
  }
  const { rows } = await db.query<{ id: string; time: Date }>(
    `SELECT id::text AS id, time, level, message, logger, service, environment, release, trace_id AS "traceId", span_id AS "spanId",
        user_id AS "userId", request_id AS "requestId", attributes, redactions
       FROM logs WHERE ${where.join(" AND ")} ORDER BY time DESC, id DESC LIMIT ${p.add(options.limit + 1)}`,
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
  status: z.enum(["ok", "error", "unset"]).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.object({ time: z.coerce.date(), id: z.string().regex(/^\d{1,19}$/) }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TraceList = z.output<typeof ZTraceList>;

/** Root spans in the range, newest first, with span count, trace duration and whether any span failed. */
export async function listTraces(db: Db, options: { projectId: string } & TraceList) {
  const p = new Params();
  const project = p.add(options.projectId);
  const where = [`r.project_id = ${project}::uuid`, `r.parent_span_id IS NULL`, `r.start_time >= ${p.add(options.from)}`, `r.start_time < ${p.add(options.to)}`];
  if (options.service) where.push(`r.service = ${p.add(options.service)}`);
  if (options.status) where.push(`r.status = ${p.add(options.status)}`);
  if (options.q) where.push(`r.name ILIKE ${p.add(like(options.q))}`);
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
