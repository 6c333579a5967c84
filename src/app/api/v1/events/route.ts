import { handleReadRequest } from "@/server/query/http";
import { listProductEvents, ZListProductEventsQuery } from "@/server/query/product-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/events` — the project's product/usage events, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListProductEventsQuery, (key, query) => listProductEvents({ projectId: key.projectId, query }));
}
