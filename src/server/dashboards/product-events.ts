import { z } from "zod";
import { page, timeWindow } from "./cursor";
import { ZCursor, ZLimit, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { SqlParams, type Db } from "@/server/db/sql";

export const ZListProductEventsQuery = z
  .strictObject({
    ...ZTimeRange,
    name: ZText().optional(),
    userId: ZText().optional(),
    sessionId: ZText(128).optional(),
    service: ZText().optional(),
    environment: ZText(64).optional(),
    limit: ZLimit,
    cursor: ZCursor("bigint"),
  })
  .superRefine(ZTimeRangeCheck);
type ListProductEventsQuery = z.output<typeof ZListProductEventsQuery>;

type ProductEventItem = { id: string; time: Date; [key: string]: unknown };

/** Product/usage events (`type: "event"`) of one project, newest first (exported so tests can EXPLAIN it). */
export function listProductEventsSql(options: { projectId: string; query: ListProductEventsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, ...timeWindow(p, "time", "id", query)];
  if (query.name) where.push(`name = ${p.add(query.name)}`);
  if (query.userId) where.push(`user_id = ${p.add(query.userId)}`);
  if (query.sessionId) where.push(`session_id = ${p.add(query.sessionId)}`);
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  const text = `SELECT id::text AS id, time, name, user_id AS "userId", session_id AS "sessionId", service, environment, release,
      trace_id AS "traceId", span_id AS "spanId", properties, redactions
    FROM product_events WHERE ${where.join(" AND ")} ORDER BY product_events.time DESC, product_events.id DESC LIMIT ${p.add(query.limit + 1)}`;
  return { text, values: p.values };
}

export async function listProductEvents(db: Db, options: { projectId: string; query: ListProductEventsQuery }) {
  const { rows } = await db.query<ProductEventItem>(listProductEventsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.time.toISOString(), id: r.id }));
}
