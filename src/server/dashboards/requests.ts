import { z } from "zod";
import { page, timeWindow } from "./cursor";
import { traceIdIn } from "./trace-id";
import { ZCursor, ZLimit, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";

/** `status=500,404` exact codes and/or `status=5xx,4xx` classes. */
const ZStatusList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((x) => x.split(","))
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^([1-5]\d\d|[1-5]xx)$/, "must be HTTP status codes (500) or classes (5xx), comma-separated")).min(1))
  .optional();

export const ZListRequestsQuery = z
  .strictObject({
    ...ZTimeRange,
    service: ZText().optional(),
    environment: ZText(64).optional(),
    method: z
      .string()
      .transform((s) =>
        s
          .split(",")
          .map((m) => m.trim().toUpperCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[A-Z]{1,16}$/, "must be HTTP methods, comma-separated")).min(1))
      .optional(),
    route: ZText(2048).optional(),
    status: ZStatusList,
    q: ZSearch,
    userId: ZText().optional(),
    traceId: ZText(64).optional(),
    minDurationMs: z.coerce.number({ error: "must be a number of milliseconds" }).nonnegative("must be ≥ 0").optional(),
    limit: ZLimit,
    cursor: ZCursor("bigint"),
  })
  .superRefine(ZTimeRangeCheck);
type ListRequestsQuery = z.output<typeof ZListRequestsQuery>;

type RequestItem = { id: string; time: Date; status: number; durationMs: number; [key: string]: unknown };

export const REQUEST_COLUMNS = `id::text AS id, time, method, route, path, status, duration_ms AS "durationMs",
  request_size::float8 AS "requestSize", response_size::float8 AS "responseSize", user_agent AS "userAgent",
  client_ip AS "clientIp", user_id AS "userId", request_id AS "requestId", service, environment, release,
  trace_id AS "traceId", span_id AS "spanId", request_headers AS "requestHeaders",
  response_headers AS "responseHeaders", redactions`;

/** HTTP request records of one project, newest first; `q` is a substring of the path. */
export function listRequestsSql(options: { projectId: string; query: ListRequestsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, ...timeWindow(p, "time", "id", query)];
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.method) where.push(`method = ANY(${p.add(query.method)}::text[])`);
  if (query.route) where.push(`route = ${p.add(query.route)}`);
  if (query.status) {
    const codes = query.status.filter((s) => !s.endsWith("xx")).map(Number);
    const classes = query.status.filter((s) => s.endsWith("xx")).map((s) => Number(s[0]));
    where.push(`(status = ANY(${p.add(codes)}::int[]) OR status / 100 = ANY(${p.add(classes)}::int[]))`);
  }
  if (query.q) where.push(`path ILIKE ${p.add(containsPattern(query.q))}`);
  if (query.userId) where.push(`user_id = ${p.add(query.userId)}`);
  if (query.traceId) where.push(traceIdIn(p, "trace_id", query.traceId));
  if (query.minDurationMs !== undefined) where.push(`duration_ms >= ${p.add(query.minDurationMs)}`);
  return {
    text: `SELECT ${REQUEST_COLUMNS} FROM requests WHERE ${where.join(" AND ")} ORDER BY requests.time DESC, requests.id DESC LIMIT ${p.add(query.limit + 1)}`,
    values: p.values,
  };
}

/** Runs `listRequestsSql` and pages the rows (`limit` + 1 fetched to know whether there is a next page). */
export async function listRequests(db: Db, options: { projectId: string; query: ListRequestsQuery }) {
  const { rows } = await db.query<RequestItem>(listRequestsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.time.toISOString(), id: r.id }));
}
