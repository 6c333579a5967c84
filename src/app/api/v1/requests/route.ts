import { handleReadRequest } from "@/server/query/http";
import { listRequests, ZListRequestsQuery } from "@/server/query/requests";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/requests` — the project's HTTP request records, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListRequestsQuery, (key, query) => listRequests({ projectId: key.projectId, query }));
}
