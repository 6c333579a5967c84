import { pool } from "@/server/db/pool";
import { handleOtlpRequest } from "@/server/ingest/otlp/handle";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** OTLP/HTTP logs export (protobuf or JSON, optionally gzip) with a project ingest key. */
export function POST(request: Request): Promise<Response> {
  return handleOtlpRequest(pool, request, "logs");
}
