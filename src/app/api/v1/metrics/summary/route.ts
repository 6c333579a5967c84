import { pool } from "@/server/db/pool";
import { handleReadRequest } from "@/server/dashboards/read-api";
import { summariseMetrics, ZMetricsSummaryQuery } from "@/server/dashboards/metrics-summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/metrics/summary` — per metric series: points, sum, count, mean, min, max, last (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(pool, request, ZMetricsSummaryQuery, (key, query, db) => summariseMetrics(db, { projectId: key.projectId, query }));
}
