import { handleReadRequest } from "@/server/query/http";
import { listLlmCalls, ZListLlmCallsQuery } from "@/server/query/llm-calls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/llm-calls` — the project's LLM calls with tokens and cost, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZListLlmCallsQuery, (key, query) => listLlmCalls({ projectId: key.projectId, query }));
}
