import { handleReadRequest } from "@/server/dashboards/read-api";
import { listLlmCalls, ZListLlmCallsQuery } from "@/server/dashboards/llm-calls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/llm-calls` — the project's LLM calls with tokens and cost, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListLlmCallsQuery, (key, query, db) => listLlmCalls(db, { projectId: key.projectId, query }));
}
