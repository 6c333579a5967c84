import { pool } from "@/server/db/pool";
import { listAppAudit, ZAuditReadQuery } from "@/server/audit/read-api";
import { handleReadRequest } from "@/server/dashboards/read-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/audit` — the app's audit trail (its `audit` events), newest first (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZAuditReadQuery, (key, query, db) => listAppAudit(db, key.projectId, query));
}
