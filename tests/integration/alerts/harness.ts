import { afterAll, beforeAll } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { alertsRouter } from "@/server/api/routers/alerts";
import { reportsRouter } from "@/server/api/routers/reports";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { prisma } from "@/server/db/prisma";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, sendBatch, uniq } from "../ingest/fixtures";
import { contextFor, type TestUser } from "../tenancy-fixtures";

/** The routers under test, mounted as the lead will mount them in root.ts. */
const testRouter = createTRPCRouter({ alerts: alertsRouter, reports: reportsRouter });
const factory = createCallerFactory(testRouter);
export const alertsCaller = (user: TestUser | null) => factory(contextFor(user));

export async function startIngest() {
  return startRouteServer({ "/api/v1/ingest": ingestRoute });
}

/**
 * The test file's ingest server: started before its tests, closed after them together with the
 * file's loopback fakes (startAlertFakes). `baseUrl` is there once the tests run.
 */
export function ingestForFile(fakes: { close(): Promise<unknown> }) {
  let server: Awaited<ReturnType<typeof startIngest>> | undefined;
  beforeAll(async () => {
    server = await startIngest();
  });
  afterAll(async () => {
    await server?.close();
    await fakes.close();
  });
  return {
    get baseUrl() {
      if (!server) throw new Error("the ingest server starts in beforeAll: use baseUrl inside tests");
      return server.baseUrl;
    },
  };
}

/** A project (owner + ingest key) and a caller acting as its owner. */
export async function alertProject() {
  const p = await makeIngestProject();
  const owner = await prisma.user.findUniqueOrThrow({ where: { id: p.user.id }, select: { id: true, email: true, name: true } });
  const caller = alertsCaller(owner);
  const scope = { orgSlug: p.org.slug, projectSlug: p.project.slug };
  return { ...p, owner, caller, scope };
}

/** Sends `n` error events of one group through the real ingest endpoint, stamped at `time` + i ms. */
export async function sendErrors(baseUrl: string, key: string, time: Date, n: number, fingerprint = "burst") {
  const batch = Array.from({ length: n }, (_, i) => ({
    type: "error",
    id: `err-${uniq()}-${i}`,
    timestamp: new Date(time.getTime() + i).toISOString(),
    level: "error",
    environment: "prod",
    message: `checkout failed ${fingerprint}`,
    fingerprint: [fingerprint],
  }));
  const res = await sendBatch(baseUrl, key, batch);
  if (res.status !== 200 || res.json.accepted !== n) throw new Error(`ingest refused the batch: ${JSON.stringify(res.json)}`);
}
