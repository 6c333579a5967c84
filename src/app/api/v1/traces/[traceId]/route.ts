import { pool } from "@/server/db/pool";
import { handleReadRequest, notFound } from "@/server/dashboards/read-api";
import { getTrace, ZGetTraceQuery } from "@/server/dashboards/traces";
import { traceWithoutSpend } from "@/server/spend/access";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/traces/{traceId}` — a trace's spans with its linked logs, errors, LLM calls and requests (read key). */
export async function GET(request: Request, context: { params: Promise<{ traceId: string }> }): Promise<Response> {
  const { traceId } = await context.params;
  return handleReadRequest(
    pool,
    request,
    ZGetTraceQuery,
    async (key, _query, db) => {
      const trace = await getTrace(db, { projectId: key.projectId, traceId });
      return trace && !key.seesSpend ? traceWithoutSpend(trace) : trace;
    },
    () => notFound("The trace"),
  );
}
