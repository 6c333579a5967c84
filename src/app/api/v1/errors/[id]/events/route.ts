import { listErrorEvents, ZListErrorEventsQuery } from "@/server/query/errors";
import { handleReadRequest, notFound } from "@/server/query/http";
import { UUID } from "@/server/query/params";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/errors/{id}/events` — the events of one error group, newest first (read key). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return handleReadRequest(
    request,
    ZListErrorEventsQuery,
    async (key, query) => (UUID.test(id) ? listErrorEvents({ projectId: key.projectId, groupId: id, query }) : null),
    () => notFound("The error group"),
  );
}
