import { z } from "zod";
import { LOG_LEVELS } from "@/server/vocabulary";
import { encodeCursor, timeWindow } from "./cursor";
import { traceIdIn } from "./trace-id";
import { ZCursor, ZLimit, ZList, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";

export const ZListLogsQuery = z
  .strictObject({
    ...ZTimeRange,
    service: ZText().optional(),
    environment: ZText(64).optional(),
    level: ZList(LOG_LEVELS),
    q: ZSearch,
    traceId: ZText(64).optional(),
    userId: ZText().optional(),
    requestId: ZText(128).optional(),
    limit: ZLimit,
    cursor: ZCursor("bigint"),
  })
  .superRefine(ZTimeRangeCheck);
type ListLogsQuery = z.output<typeof ZListLogsQuery>;

type LogItem = {
  id: string;
  time: Date;
  level: string;
  message: string;
  logger: string | null;
  service: string | null;
  environment: string | null;
  release: string | null;
  traceId: string | null;
  spanId: string | null;
  userId: string | null;
  requestId: string | null;
  attributes: Record<string, unknown>;
  redactions: string[];
};

export const LOG_COLUMNS = `id::text AS id, time, level, message, logger, service, environment, release,
  trace_id AS "traceId", span_id AS "spanId", user_id AS "userId", request_id AS "requestId", attributes, redactions`;

/**
 * What a log search can ask for — the one filter the Logs page (tRPC) and `GET /api/v1/logs` both
 * adapt to. `q` is a case-insensitive substring of the message (trigram index); `traceId` matches
 * as every read matches it (traceIdIn); `attributes` are equality filters (jsonb containment).
 */
type LogFilter = {
  from?: Date;
  to?: Date;
  q?: string;
  level?: readonly string[];
  service?: string;
  environment?: string;
  traceId?: string;
  userId?: string;
  requestId?: string;
  attributes?: Record<string, string | number | boolean>;
  /** The last row of the previous page. */
  after?: { time: Date | string; id: string };
  limit: number;
};

function typedForms(text: string): Array<number | boolean> {
  if (text === "true" || text === "false") return [text === "true"];
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? [n] : [];
}

/** The statement behind `searchLogs` (exported so tests can EXPLAIN it). */
export function searchLogsSql(options: { projectId: string } & LogFilter) {
  const p = new SqlParams();
  const after = options.after && { at: new Date(options.after.time).toISOString(), id: options.after.id };
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, ...timeWindow(p, "time", "id", { from: options.from, to: options.to, cursor: after })];
  if (options.service) where.push(`service = ${p.add(options.service)}`);
  if (options.environment) where.push(`environment = ${p.add(options.environment)}`);
  if (options.level?.length) where.push(`level = ANY(${p.add(options.level)}::text[])`);
  if (options.q) where.push(`message ILIKE ${p.add(containsPattern(options.q))}`);
  if (options.traceId) where.push(traceIdIn(p, "trace_id", options.traceId));
  if (options.userId) where.push(`user_id = ${p.add(options.userId)}`);
  if (options.requestId) where.push(`request_id = ${p.add(options.requestId)}`);
  for (const [key, value] of Object.entries(options.attributes ?? {})) {
    // A filter typed as text ("status=500") also matches the number or boolean an SDK sent.
    const alternatives = [value, ...(typeof value === "string" ? typedForms(value) : [])];
    where.push(`(${alternatives.map((v) => `attributes @> ${p.add(JSON.stringify({ [key]: v }))}::jsonb`).join(" OR ")})`);
  }
  // ORDER BY names the table's columns: a bare `id` would sort by the text alias ("10" < "9") while
  // the cursor compares the bigint, so rows with one timestamp were skipped or repeated across pages.
  return {
    text: `SELECT ${LOG_COLUMNS} FROM logs WHERE ${where.join(" AND ")} ORDER BY logs.time DESC, logs.id DESC LIMIT ${p.add(options.limit + 1)}`,
    values: p.values,
  };
}

/** Logs of one project, newest first: one page, and the key of its last row when there is more. */
export async function searchLogs(db: Db, options: { projectId: string } & LogFilter) {
  const { rows } = await db.query<LogItem>(searchLogsSql(options));
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > options.limit && last ? { time: last.time, id: last.id } : null };
}

/** `GET /api/v1/logs`: the search with the read API's query and opaque cursor. */
export async function listLogs(db: Db, options: { projectId: string; query: ListLogsQuery }) {
  const { cursor, ...query } = options.query;
  const found = await searchLogs(db, { projectId: options.projectId, ...query, after: cursor && { time: cursor.at, id: cursor.id } });
  return { items: found.items, nextCursor: found.next && encodeCursor({ at: found.next.time.toISOString(), id: found.next.id }) };
}

/** The Logs page's search (tRPC input): a required range, structured cursor, attribute filters. */
export const ZLogSearch = z
  .object({
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
  })
  .refine((v) => v.from < v.to, { path: ["to"], message: "must be after from" });
