/**
 * Overload answers: with room for one batch at a time and none queued, parallel batches beyond it
 * are answered 503 "overloaded" with Retry-After at once (their bodies unread), the admitted ones
 * are stored, and a client that retries gets every batch stored exactly once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouteServer, type RouteModule } from "../../../scripts/lib/http-harness";

process.env.INGEST_MAX_CONCURRENT_BATCHES = "1";
process.env.INGEST_MAX_QUEUED_BATCHES = "0";
const { countAll, makeIngestProject, post } = await import("./fixtures");
const ingestRoute = (await import("@/app/api/v1/ingest/route")) as RouteModule;
const otlpLogsRoute = (await import("@/app/api/v1/otlp/v1/logs/route")) as RouteModule;

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute, "/api/v1/otlp/v1/logs": otlpLogsRoute });
});
afterAll(() => server.close());

const batchOf = (b: number) =>
  Array.from({ length: 300 }, (_, i) => ({ type: "log", id: `o${b}-${i}-${randomUUID()}`, message: `overload ${b} ${i} ${"x".repeat(200)}` }));

describe("ingest under overload", () => {
  it("refuses what it cannot take with 503 + Retry-After, stores what it acknowledged, and retries get everything in exactly once", async () => {
    const p = await makeIngestProject();
    const batches = Array.from({ length: 12 }, (_, b) => batchOf(b));
    const first = await Promise.all(batches.map((batch) => post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch }))));
    const refused = first.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.json).toMatchObject({ error: { code: "overloaded" } });
      expect(r.headers.get("retry-after")).toBe("1");
    }
    const acknowledged = first.filter((r) => r.status === 200).length;
    expect(acknowledged).toBeGreaterThan(0);
    expect((await countAll(p.project.id)).logs).toBe(acknowledged * 300);

    for (const [b, r] of first.entries()) {
      let status = r.status;
      while (status === 503) status = (await post(server.baseUrl, p.ingestKey.secret, JSON.stringify({ batch: batches[b] }))).status;
      expect(status).toBe(200);
    }
    expect((await countAll(p.project.id)).logs).toBe(12 * 300);

    const otlp = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${server.baseUrl}/api/v1/otlp/v1/logs`, {
          method: "POST",
          headers: { authorization: `Bearer ${p.ingestKey.secret}`, "content-type": "application/json" },
          body: JSON.stringify({
            resourceLogs: [
              {
                scopeLogs: [
                  {
                    logRecords: Array.from({ length: 200 }, (_, i) => ({
                      timeUnixNano: `${Date.now()}000000`,
                      body: { stringValue: `otlp ${i} ${randomUUID()}` },
                    })),
                  },
                ],
              },
            ],
          }),
        }),
      ),
    );
    expect(otlp.map((r) => r.status)).toContain(503);
    expect(otlp.filter((r) => r.status === 503).every((r) => r.headers.get("retry-after") === "1")).toBe(true);
  });
});
