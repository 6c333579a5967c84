import { handleReadRequest } from "@/server/query/http";
import { listLogs, ZListLogsQuery } from "@/server/query/logs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/logs` — the project's logs, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListLogsQuery, (key, query) => listLogs({ projectId: key.projectId, query }));
}
