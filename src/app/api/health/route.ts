import { pool } from "@/server/db/pool";
import { readHealth } from "@/server/jobs/health";
import { scheduledJobs } from "@/server/jobs/registry";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * For load balancers and uptime checks: 200 when the database answers and every job ran within
 * three of its intervals, 503 otherwise. No authentication, no tenant data.
 */
export async function GET(): Promise<Response> {
  const health = await readHealth(pool, scheduledJobs());
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
