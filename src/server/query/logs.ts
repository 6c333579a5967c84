import { z } from "zod";
import { pool } from "@/server/db/pool";
import { LOG_LEVELS } from "@/server/vocabulary";
import { page } from "./cursor";
import { ZCursor, ZLimit, ZList, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./params";
import { containsPattern, SqlParams } from "@/server/db/sql";
import { timeWindow } from "./sql";

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
export type ListLogsQuery = z.output<typeof ZListLogsQuery>;

export type LogItem = {
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

/** Logs of one project, newest first, filtered; `q` is a case-insensitive substring of the message (trigram index). */
export function listLogsSql(options: { projectId: string; query: ListLogsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, ...timeWindow(p, "time", "id", query)];
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.level) where.push(`level = ANY(${p.add(query.level)}::text[])`);
  if (query.q) where.push(`message ILIKE ${p.add(containsPattern(query.q))}`);
  if (query.traceId) where.push(`trace_id = ${p.add(query.traceId)}`);
  if (query.userId) where.push(`user_id = ${p.add(query.userId)}`);
  if (query.requestId) where.push(`request_id = ${p.add(query.requestId)}`);
  return { text: `SELECT ${LOG_COLUMNS} FROM logs WHERE ${where.join(" AND ")} ORDER BY logs.time DESC, logs.id DESC LIMIT ${p.add(query.limit + 1)}`, values: p.values };
}

/** Runs `listLogsSql` and pages the rows (`limit` + 1 fetched to know whether there is a next page). */
export async function listLogs(options: { projectId: string; query: ListLogsQuery }) {
  const { rows } = await pool.query<LogItem>(listLogsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.time.toISOString(), id: r.id }));
}
