import { handleReadRequest } from "@/server/query/http";
import { summariseMetrics, ZMetricsSummaryQuery } from "@/server/query/metrics-summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `GET /api/v1/metrics/summary` — per metric series: points, sum, count, mean, min, max, last (read key). */
export function GET(request: Request): Promise<Response> {
  return handleReadRequest(request, ZMetricsSummaryQuery, (key, query) => summariseMetrics({ projectId: key.projectId, query }));
}
