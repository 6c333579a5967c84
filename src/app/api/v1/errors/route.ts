import { listErrorGroups, ZListErrorGroupsQuery } from "@/server/query/errors";
import { handleReadRequest } from "@/server/query/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/errors` — the project's error groups by last occurrence (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListErrorGroupsQuery, (key, query) => listErrorGroups({ projectId: key.projectId, query }));
}
