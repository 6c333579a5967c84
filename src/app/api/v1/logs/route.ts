import { pool } from "@/server/db/pool";
import { handleReadRequest } from "@/server/dashboards/read-api";
import { listLogs, ZListLogsQuery } from "@/server/dashboards/logs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/logs` — the project's logs, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZListLogsQuery, (key, query, db) => listLogs(db, { projectId: key.projectId, query }));
}
