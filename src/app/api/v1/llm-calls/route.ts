import { pool } from "@/server/db/pool";
import { handleReadRequest } from "@/server/dashboards/read-api";
import { listLlmCalls, ZListLlmCallsQuery } from "@/server/dashboards/llm-calls";
import { llmCallWithoutSpend } from "@/server/spend/access";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/llm-calls` — the project's LLM calls with tokens and cost, newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZListLlmCallsQuery, async (key, query, db) => {
    const page = await listLlmCalls(db, { projectId: key.projectId, query });
    // A key sees spend only if its creator could (the key shows it): otherwise calls come without cost.
    return key.seesSpend ? page : { ...page, items: page.items.map(llmCallWithoutSpend) };
  });
}
