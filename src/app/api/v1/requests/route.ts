import { pool } from "@/server/db/pool";
import { handleReadRequest } from "@/server/dashboards/read-api";
import { listRequests, ZListRequestsQuery } from "@/server/dashboards/requests";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/requests` — the project's HTTP request records, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZListRequestsQuery, (key, query, db) => listRequests(db, { projectId: key.projectId, query }));
}
