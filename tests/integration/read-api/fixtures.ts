import { randomBytes } from "node:crypto";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import * as errorEventsRoute from "@/app/api/v1/errors/[id]/events/route";
import * as errorsRoute from "@/app/api/v1/errors/route";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as llmCallsRoute from "@/app/api/v1/llm-calls/route";
import * as logsRoute from "@/app/api/v1/logs/route";
import * as metricsSummaryRoute from "@/app/api/v1/metrics/summary/route";
import * as otlpLogsRoute from "@/app/api/v1/otlp/v1/logs/route";
import * as otlpMetricsRoute from "@/app/api/v1/otlp/v1/metrics/route";
import * as otlpTracesRoute from "@/app/api/v1/otlp/v1/traces/route";
import * as requestsRoute from "@/app/api/v1/requests/route";
import * as traceRoute from "@/app/api/v1/traces/[traceId]/route";
import { prisma } from "@/server/db/prisma";
import { createApiKey } from "@/server/keys/create";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";

const uniq = () => randomBytes(4).toString("hex");

/** The real route modules of the ingest, OTLP and read API endpoints, served over loopback HTTP. */
export function startApiServer() {
  const routes: Record<string, RouteModule> = {
    "/api/v1/ingest": ingestRoute,
    "/api/v1/otlp/v1/traces": otlpTracesRoute,
    "/api/v1/otlp/v1/logs": otlpLogsRoute,
    "/api/v1/otlp/v1/metrics": otlpMetricsRoute,
    "/api/v1/logs": logsRoute,
    "/api/v1/errors": errorsRoute,
    "/api/v1/errors/[id]/events": errorEventsRoute as unknown as RouteModule,
    "/api/v1/llm-calls": llmCallsRoute,
    "/api/v1/traces/[traceId]": traceRoute as unknown as RouteModule,
    "/api/v1/requests": requestsRoute,
    "/api/v1/metrics/summary": metricsSummaryRoute,
    "/api/v1/events": eventsRoute,
  };
  return startRouteServer(routes);
}

/** An organisation with one project, its ingest key and its read key (secrets). */
export async function makeProjectWithKeys() {
  const user = await prisma.user.create({
    data: { email: `read-api-${uniq()}@example.test`, name: "reader", passwordHash: "x" },
    select: { id: true, email: true },
  });
  const slug = `org-${uniq()}`;
  const org = await prisma.organization.create({
    data: { slug, name: slug, memberships: { create: [{ userId: user.id, role: "owner" }] } },
    select: { id: true },
  });
  const project = await prisma.project.create({
    data: { orgId: org.id, slug: `proj-${uniq()}`, name: "p" },
    select: { id: true, orgId: true },
  });
  const actor = { userId: user.id, email: user.email, ip: null, userAgent: "vitest" };
  const ingest = await createApiKey({ seesSpend: true, project, input: { name: "ingest", scope: "ingest" }, actor });
  const read = await createApiKey({ seesSpend: true, project, input: { name: "read", scope: "read" }, actor });
  return { projectId: project.id, ingestKey: ingest.secret, readKey: read.secret };
}

export type JsonBody = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GET on the read API with a key; the parsed JSON body. */
export async function getJson(baseUrl: string, key: string | null, path: string): Promise<{ status: number; body: JsonBody }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: (await res.json()) as JsonBody };
}

/** POST /api/v1/ingest with `{ batch }`. */
export async function ingest(baseUrl: string, key: string, batch: unknown[]) {
  const res = await fetch(`${baseUrl}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ batch }),
  });
  return { status: res.status, body: (await res.json()) as JsonBody };
}
