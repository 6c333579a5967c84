import { pool } from "@/server/db/pool";
import { handleIngestRequest } from "@/server/ingest/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleIngestRequest(pool, request);
}
