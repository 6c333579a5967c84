import { pool } from "@/server/db/pool";
import { listErrorEvents, ZListErrorEventsQuery } from "@/server/dashboards/error-groups";
import { handleReadRequest, notFound } from "@/server/dashboards/read-api";
import { UUID } from "@/server/dashboards/query-params";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/errors/{id}/events` — the events of one error group, newest first (read key). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return handleReadRequest(
    pool,
    request,
    ZListErrorEventsQuery,
    async (key, query, db) => (UUID.test(id) ? listErrorEvents(db, { projectId: key.projectId, groupId: id, query }) : null),
    () => notFound("The error group"),
  );
}
