import { pool } from "@/server/db/pool";
import { handleReadRequest } from "@/server/dashboards/read-api";
import { listProductEvents, ZListProductEventsQuery } from "@/server/dashboards/product-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/events` — the project's product/usage events, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZListProductEventsQuery, (key, query, db) => listProductEvents(db, { projectId: key.projectId, query }));
}
