import { pool } from "@/server/db/pool";
import { listErrorGroupsForApi, ZListErrorGroupsQuery } from "@/server/dashboards/error-groups";
import { handleReadRequest } from "@/server/dashboards/read-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/errors` — the project's error groups by last occurrence (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZListErrorGroupsQuery, (key, query, db) => listErrorGroupsForApi(db, { projectId: key.projectId, query }));
}
