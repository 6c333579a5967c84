import { pool } from "@/server/db/pool";
import { appAuditProof, ZAuditProofQuery } from "@/server/audit/read-api";
import { handleReadRequest } from "@/server/dashboards/read-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/audit/proof?seq=N` — entry N of the app's audit trail with its RFC 9162 inclusion proof in the latest signed checkpoint (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZAuditProofQuery, (key, query, db) => appAuditProof(db, key.projectId, query));
}
